"""Content-addressed storage of rendered final copies under `OA_DATA_DIR/rendered/<sha256>.pdf`.

A file is written to a private temporary name and renamed into place, so a reader never sees half a PDF; the
name is the digest of the bytes, so writing the same copy twice is harmless and two copies never collide. A read
recomputes the digest and the size before the bytes are served: a file damaged or replaced on disk is refused with
a message saying so, never sent as if it were the sealed copy. The functions do blocking file I/O: call them from
a worker thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from pathlib import Path


class StoredCopyMissing(Exception):
    """The file of a recorded copy is not on disk (deleted, or the data directory is not the one it was saved in)."""


class StoredCopyDamaged(Exception):
    """The file of a recorded copy is on disk but its bytes are not the ones recorded."""


class RenderedStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "rendered"

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / f"{sha256}.pdf"

    def put(self, pdf: bytes) -> str:
        """Store the bytes (atomically, once per content) and return their SHA-256."""
        digest = hashlib.sha256(pdf).hexdigest()
        target = self.path_of(digest)
        if target.exists() and _digest_of_file(target) == digest:
            return digest
        self.root.mkdir(parents=True, exist_ok=True)
        partial = self.root / f".{digest}.{uuid.uuid4().hex}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pdf)
                out.flush()
                os.fsync(out.fileno())
            # rename is atomic on one file system; it also replaces a damaged file of the same name.
            os.replace(partial, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise
        return digest

    def read_checked(self, sha256: str, size: int) -> bytes:
        """The stored bytes, after checking that they are exactly the recorded ones."""
        path = self.path_of(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise StoredCopyMissing(f"正式文本文件 {path.name} 不在存储目录中") from exc
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
            raise StoredCopyDamaged(
                f"正式文本文件 {path.name} 已被改动（现为 {len(data)} 字节，登记为 {size} 字节；摘要不符）"
            )
        return data


def _digest_of_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
