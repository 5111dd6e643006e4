"""The write-once, content-addressed package store: `OA_DATA_DIR/archive/<sha256>.eep`, read-only on disk.

A package is built into a private temporary file under the store's own `incoming/` folder (same file system),
hashed, then published with `os.link`, which fails if the name exists: a stored package is never overwritten, not
even by identical bytes, and nobody ever sees half a file. The published file is made read-only (0444) so a slip of
an operator's shell is refused by the file system too. Reads re-hash before trusting. The functions do blocking
file I/O: call them from a worker thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class StoredPackageDamaged(Exception):
    """A stored file is missing or its bytes are not the recorded ones."""


@dataclass(frozen=True)
class StoredPackage:
    sha256: str
    size: int
    path: Path


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while piece := source.read(CHUNK):
            digest.update(piece)
            size += len(piece)
    return digest.hexdigest(), size


class PackageStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "archive"
        self.incoming = self.root / "incoming"

    def path_of(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / f"{sha256}.eep"

    @contextmanager
    def scratch(self, suffix: str = ".eep") -> Iterator[tuple[Path, BinaryIO]]:
        """A private temporary file to build into; removed on exit unless it was published (linked) meanwhile."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        path = self.incoming / f"{uuid.uuid4().hex}{suffix}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                yield path, out
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def scratch_path(self, suffix: str = ".eep") -> Path:
        """A fresh name in the scratch folder for writers that open the file themselves; the caller removes it."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        return self.incoming / f"{uuid.uuid4().hex}{suffix}"

    def publish(self, built: Path) -> StoredPackage:
        """Store the finished file under its digest, write-once; an existing identical file is reused as is."""
        fd = os.open(built, os.O_RDONLY)
        try:
            os.fsync(fd)  # the bytes reach the disk before the name that promises them does
        finally:
            os.close(fd)
        sha256, size = file_digest(built)
        target = self.path_of(sha256)
        try:
            os.link(built, target)
        except FileExistsError:
            # Same digest means same bytes; the stored copy is checked rather than replaced.
            if file_digest(target) != (sha256, size):
                raise StoredPackageDamaged(f"存储中的封装包 {target.name} 与其名称不符（已被改动），拒绝覆盖") from None
            return StoredPackage(sha256, size, target)
        os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        return StoredPackage(sha256, size, target)

    def open_checked(self, sha256: str, size: int) -> Path:
        """The path of a stored package after checking its bytes against the record."""
        path = self.path_of(sha256)
        if not path.is_file():
            raise StoredPackageDamaged(f"封装包文件 {path.name} 不在档案存储中")
        if file_digest(path) != (sha256, size):
            raise StoredPackageDamaged(f"封装包文件 {path.name} 已被改动（摘要或大小与登记不符）")
        return path
