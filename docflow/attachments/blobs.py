"""Content-addressed file storage for attachments under `OA_DATA_DIR/blobs/`.

An upload streams into a private temporary file (O_EXCL, mode 0600) while SHA-256 and SM3 are computed and the size
is counted; past the limit the file is removed and nothing is kept. A file that passes the type check is published
under `blobs/<aa>/<bb>/<sha256>` with `os.link`, which is atomic and never overwrites: the same content is stored
once, and a reader never sees a half-written blob. All app nodes share OA_DATA_DIR, so this holds across nodes.
Disk work and hashing run on worker threads so a large upload never stalls the event loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from anyio import to_thread

from oa.errors import TooLarge

# Chunks from the socket are gathered to about this size before one trip to a worker thread.
_BATCH_BYTES = 1024 * 1024
_READ_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Digests:
    sha256: str
    sm3: str
    size: int


@dataclass(frozen=True)
class ReceivedFile:
    """An upload on disk, not yet published: its temporary path, digests and first bytes."""

    path: Path
    digests: Digests
    head: bytes


def too_large_message(limit: int) -> str:
    return f"附件过大：单个文件最多 {limit // (1024 * 1024)} MB（{limit} 字节），请压缩图片或拆分后再上传"


class _Sink:
    """The temporary file being written and its running digests."""

    def __init__(self, path: Path, head_bytes: int) -> None:
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.sha256 = hashlib.sha256()
        self.sm3 = hashlib.new("sm3")
        self.size = 0
        self.head = b""
        self._head_bytes = head_bytes

    def write(self, data: bytes) -> None:
        if len(self.head) < self._head_bytes:
            self.head += data[: self._head_bytes - len(self.head)]
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        self.sha256.update(data)
        self.sm3.update(data)
        self.size += len(data)

    def close(self) -> None:
        os.fsync(self.fd)
        os.close(self.fd)

    def discard(self) -> None:
        with contextlib.suppress(OSError):  # already closed when the failure came after close()
            os.close(self.fd)
        self.path.unlink(missing_ok=True)


class BlobStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "blobs"
        self.incoming = self.root / "incoming"

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def receive(self, chunks: AsyncIterator[bytes], *, limit: int, head_bytes: int) -> ReceivedFile:
        """Stream `chunks` to a temporary file; TooLarge (and nothing kept) past `limit` bytes."""
        await to_thread.run_sync(lambda: self.incoming.mkdir(parents=True, exist_ok=True))
        sink = _Sink(self.incoming / f"{uuid.uuid4().hex}.part", head_bytes)
        try:
            batch: list[bytes] = []
            pending = 0
            async for chunk in chunks:
                if sink.size + pending + len(chunk) > limit:
                    raise TooLarge(too_large_message(limit))
                batch.append(chunk)
                pending += len(chunk)
                if pending >= _BATCH_BYTES:
                    data, batch, pending = b"".join(batch), [], 0
                    await to_thread.run_sync(sink.write, data)
            if batch:
                await to_thread.run_sync(sink.write, b"".join(batch))
            await to_thread.run_sync(sink.close)
        except BaseException:
            await to_thread.run_sync(sink.discard)
            raise
        return ReceivedFile(sink.path, Digests(sink.sha256.hexdigest(), sink.sm3.hexdigest(), sink.size), sink.head)

    async def publish(self, received: ReceivedFile) -> Path:
        """Move the upload to its content address; when that content is already stored, keep the stored copy."""
        return await to_thread.run_sync(self._publish, received)

    def _publish(self, received: ReceivedFile) -> Path:
        target = self.path_of(received.digests.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(received.path, target)
        except FileExistsError:
            pass  # stored once: an earlier upload (maybe on another node) already holds these bytes
        finally:
            received.path.unlink(missing_ok=True)
        return target

    async def discard(self, received: ReceivedFile) -> None:
        await to_thread.run_sync(lambda: received.path.unlink(missing_ok=True))

    async def zip_names(self, path: Path) -> list[str]:
        """Entry names of a ZIP container; an unreadable one yields [] (and is then refused as unknown)."""
        def read() -> list[str]:
            try:
                with zipfile.ZipFile(path) as archive:
                    return archive.namelist()
            except (zipfile.BadZipFile, OSError, ValueError):
                return []

        return await to_thread.run_sync(read)

    async def digests_on_disk(self, sha256: str) -> Digests | None:
        """Re-read a stored blob and hash it again; None when the file is gone."""
        return await to_thread.run_sync(self._rehash, self.path_of(sha256))

    @staticmethod
    def _rehash(path: Path) -> Digests | None:
        sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
        try:
            with path.open("rb") as fh:
                while block := fh.read(_READ_BYTES):
                    sha.update(block)
                    sm3.update(block)
                    size += len(block)
        except FileNotFoundError:
            return None
        return Digests(sha.hexdigest(), sm3.hexdigest(), size)
