"""Streaming base64 decoding of one 编码数据, with size, SHA-256, SM3 and a head/tail sample.

The reader hands each 编码数据's text to a ``PayloadDecoder`` piece by piece. It decodes in strict mode
(only the base64 alphabet; padding only at the very end), so a truncated or corrupted payload is named
precisely, and it counts and hashes the decoded bytes so the reader can compare them with 计算机文件大小
and 文件摘要 without ever holding the file. RFC 2045 line breaks are tolerated (other producers write
them); the builder writes none. The first and last ``SAMPLE_BYTES`` are kept for the format checks.
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

SAMPLE_BYTES = 64 * 1024
# Byte patterns the format and security checks need from anywhere in a file, not only its head and tail:
# the PDF/A identification in XMP (PDF/A forbids filtering the metadata stream, so it is plain text),
# PDF encryption and scripting, and Office macro containers (OOXML and legacy OLE, UTF-16 name).
PDF_MARKERS = (b"pdfaid:part", b"/Encrypt", b"/JavaScript")
ZIP_MARKERS = (b"vbaProject.bin",)
OLE_MARKERS = ("_VBA_PROJECT".encode("utf-16-le"),)
MARKERS: tuple[bytes, ...] = PDF_MARKERS + ZIP_MARKERS + OLE_MARKERS
_MARKER_OVERLAP = max(len(marker) for marker in MARKERS) - 1
# Background hashing pays off only for pieces well above hashlib's 2 KiB GIL-release threshold.
_BACKGROUND_MIN_BYTES = 256 * 1024


def markers_for(head: bytes) -> tuple[bytes, ...]:
    """Only the markers that mean something for this kind of file, so other files cost no search."""
    if head.startswith(b"%PDF-"):
        return PDF_MARKERS
    if head.startswith(b"PK\x03\x04"):
        return ZIP_MARKERS
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return OLE_MARKERS
    return ()


class BackgroundHasher:
    """Feeds one hashlib object from its own worker thread.

    hashlib releases the GIL while hashing large buffers, so SM3 (the slowest digest, several times
    slower than SHA-256) runs on the second core beside base64. At most one piece is in flight: the
    next ``update`` waits for the previous one, which keeps memory bounded and the order intact.
    """

    def __init__(self, hasher: hashlib._Hash) -> None:
        self._hasher = hasher
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def update(self, data: bytes) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None
        if len(data) < _BACKGROUND_MIN_BYTES:
            self._hasher.update(data)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eep-hash")
        self._pending = self._pool.submit(self._hasher.update, data)

    def _finish(self) -> hashlib._Hash:
        if self._pending is not None:
            self._pending.result()
            self._pending = None
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return self._hasher

    def hexdigest(self) -> str:
        return self._finish().hexdigest()

    def digest(self) -> bytes:
        return self._finish().digest()


DIGEST_ALGORITHMS = ("SHA-256", "SM3")
_WHITESPACE = b" \t\r\n"


def new_hashers(algorithms: Collection[str] = DIGEST_ALGORITHMS) -> dict[str, BackgroundHasher]:
    """One hasher per digest algorithm (names as written in 摘要算法)."""
    factories = {"SHA-256": hashlib.sha256, "SM3": lambda: hashlib.new("sm3")}
    return {name: BackgroundHasher(factories[name]()) for name in DIGEST_ALGORITHMS if name in algorithms}


class PayloadDecoder:
    """Decode, count, hash and sample one payload; optionally write the decoded bytes to ``target``."""

    def __init__(
        self, index: int, target: BinaryIO | None = None, algorithms: Collection[str] = DIGEST_ALGORITHMS
    ) -> None:
        self.index = index
        self._target = target
        self._carry = b""
        self._ended_with_padding = False
        self._hashers = new_hashers(algorithms)
        self.size = 0
        self.error: str | None = None
        self.head = b""
        self._tail = bytearray()
        self.closed = False
        self.markers: set[bytes] = set()
        self._wanted_markers: tuple[bytes, ...] | None = None  # decided once the head is known
        self._digests: dict[str, str] | None = None

    def write(self, data: bytes) -> None:
        if self.error is not None:
            return
        if any(ch in data for ch in (b"\n", b" ", b"\r", b"\t")):
            data = data.translate(None, _WHITESPACE)
        data = self._carry + data if self._carry else data
        usable = len(data) - len(data) % 4
        self._carry = data[usable:]
        if usable:
            self._decode(data[:usable] if usable != len(data) else data)

    def _decode(self, text: bytes) -> None:
        if self._ended_with_padding:
            self.error = f"编码数据在第 {self.size} 字节后出现填充符“=”，其后仍有数据（Base64 损坏）"
            return
        try:
            decoded = binascii.a2b_base64(text, strict_mode=True)
        except binascii.Error as exc:
            self.error = f"编码数据不是合法的 Base64（解码到第 {self.size} 字节附近出错：{exc}）"
            return
        self._ended_with_padding = text.endswith(b"=")
        for hasher in self._hashers.values():
            hasher.update(decoded)
        if len(self.head) < SAMPLE_BYTES:
            self.head += decoded[: SAMPLE_BYTES - len(self.head)]
        self._find_markers(decoded)  # before the tail moves on: the seam needs the previous piece's end
        self._tail += decoded[-SAMPLE_BYTES:]
        if len(self._tail) > SAMPLE_BYTES:
            del self._tail[: len(self._tail) - SAMPLE_BYTES]
        self.size += len(decoded)
        if self._target is not None:
            self._target.write(decoded)

    def _find_markers(self, decoded: bytes) -> None:
        if self._wanted_markers is None and len(self.head) >= 8:
            self._wanted_markers = markers_for(self.head)
        wanted = MARKERS if self._wanted_markers is None else self._wanted_markers
        # The seam between the previous piece and this one, so a marker split across the two is found.
        seam = bytes(self._tail[-_MARKER_OVERLAP:]) + decoded[:_MARKER_OVERLAP]
        for marker in wanted:
            if marker not in self.markers and (marker in decoded or marker in seam):
                self.markers.add(marker)

    def close(self) -> None:
        self.closed = True
        if self.error is None and self._carry:
            self.error = f"编码数据长度不是 4 的倍数，末尾多出 {len(self._carry)} 个字符：Base64 被截断"

    @property
    def tail(self) -> bytes:
        return bytes(self._tail)

    def digests(self) -> dict[str, str]:
        if self._digests is None:
            self._digests = {name: hasher.hexdigest() for name, hasher in self._hashers.items()}
        return self._digests
