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
from typing import BinaryIO

SAMPLE_BYTES = 64 * 1024
# Byte patterns the format and security checks need from anywhere in a file, not only its head and tail:
# the PDF/A identification in XMP (PDF/A forbids filtering the metadata stream, so it is plain text),
# PDF encryption and scripting, and Office macro containers (OOXML and legacy OLE, UTF-16 name).
MARKERS: tuple[bytes, ...] = (
    b"pdfaid:part",
    b"/Encrypt",
    b"/JavaScript",
    b"vbaProject.bin",
    "_VBA_PROJECT".encode("utf-16-le"),
)
_MARKER_OVERLAP = max(len(marker) for marker in MARKERS) - 1
DIGEST_ALGORITHMS = ("SHA-256", "SM3")
_WHITESPACE = b" \t\r\n"


def new_hashers() -> dict[str, hashlib._Hash]:
    """One hasher per digest algorithm the package records (names as written in 摘要算法)."""
    return {"SHA-256": hashlib.sha256(), "SM3": hashlib.new("sm3")}


class PayloadDecoder:
    """Decode, count, hash and sample one payload; optionally write the decoded bytes to ``target``."""

    def __init__(self, index: int, target: BinaryIO | None = None) -> None:
        self.index = index
        self._target = target
        self._carry = b""
        self._ended_with_padding = False
        self._hashers = new_hashers()
        self.size = 0
        self.error: str | None = None
        self.head = b""
        self._tail = bytearray()
        self.closed = False
        self.markers: set[bytes] = set()

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
        self._find_markers(decoded)
        for hasher in self._hashers.values():
            hasher.update(decoded)
        if len(self.head) < SAMPLE_BYTES:
            self.head += decoded[: SAMPLE_BYTES - len(self.head)]
        self._tail += decoded[-SAMPLE_BYTES:]
        if len(self._tail) > SAMPLE_BYTES:
            del self._tail[: len(self._tail) - SAMPLE_BYTES]
        self.size += len(decoded)
        if self._target is not None:
            self._target.write(decoded)

    def _find_markers(self, decoded: bytes) -> None:
        if len(self.markers) == len(MARKERS):
            return
        # The seam between the previous piece and this one, so a marker split across the two is found.
        seam = bytes(self._tail[-_MARKER_OVERLAP:]) + decoded[:_MARKER_OVERLAP]
        for marker in MARKERS:
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
        return {name: hasher.hexdigest() for name, hasher in self._hashers.items()}
