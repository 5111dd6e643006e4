"""A byte-level scanner of EEP packages: signed regions, payload text and hostile markup.

Why a scanner at all: the signature covers the *exact bytes* of 被签名对象 and a 1 GB file travels as one
1.4 GB text node, which neither lxml's tree nor its iterparse can hold. The scanner walks the raw bytes
once, in chunks, and

- refuses what a package never needs: any ``<!`` (DOCTYPE, entity declarations, comments, CDATA) and any
  ``<?`` other than the XML declaration at offset 0, and element names with a namespace prefix (the
  builder writes the EEP namespace as the default namespace). With those gone, every ``<`` in the file
  starts a tag, so tag boundaries found here are exactly the parser's;
- hashes (SHA-256) the bytes of every 被签名对象 and 电子签名 element (and of the signature blocks),
  start tag to end tag inclusive,
  nested ones too (a 修改型 package carries the original inside), recording byte offsets;
- diverts the text of every 编码数据 to a payload sink (base64 decoding and hashing, see ``payload.py``)
  and passes everything else, the *skeleton*, on to the XML parser, which stays small whatever the files.

The builder runs the same scanner over what it writes, so writer and reader agree on the signed bytes
by construction.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from archive.eep import namespaces as ns
from archive.eep.payload import BackgroundHasher


class PackageRefused(ValueError):
    """The bytes are not an acceptable EEP package (hostile, malformed or too large); nothing was kept."""


class PayloadSink(Protocol):
    """Receives the base64 text of one 编码数据, in pieces, then ``close()``."""

    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


@dataclass
class Region:
    """Where one tracked element lies in the file and the SHA-256 of its exact bytes."""

    name: str
    index: int  # order among elements of the same name, in document order
    path: tuple[str, ...]  # names of the enclosing elements, root first, this one last
    start: int
    end: int = -1
    sha256: bytes = b""
    _hasher: BackgroundHasher | None = field(default=None, repr=False)


# 被签名对象 and 电子签名 are what signatures cover; the two blocks are tracked so a 修改型 package can copy
# the original's signatures byte for byte.
TRACKED = frozenset({ns.SIGNED_OBJECT, ns.SIGNATURE, ns.SIGNATURE_BLOCK, ns.LOCK_SIGNATURE})
_TAG = re.compile(rb"<(/?)([^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_PAYLOAD_NAME = ns.ENCODED_DATA.encode()
# The scanner reads names as UTF-8 and the signature covers raw bytes, so only XML 1.0 in UTF-8 is read.
_DECLARATION = re.compile(
    rb"<\?xml\s+version=([\"'])1\.0\1(?:\s+encoding=([\"'])(?i:utf-8)\2)?"
    rb"(?:\s+standalone=([\"'])(?:yes|no)\3)?\s*\?>"
)
MAX_TAG_BYTES = 64 * 1024


class MarkupScanner:
    """Feed it the package's bytes in any chunks; it calls ``on_markup`` with the skeleton bytes."""

    def __init__(
        self,
        on_markup: Callable[[bytes], None],
        open_payload: Callable[[int], PayloadSink],
        *,
        max_skeleton_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self._on_markup = on_markup
        self._open_payload = open_payload
        self._max_skeleton = max_skeleton_bytes
        self._skeleton_bytes = 0
        self._pending = b""
        self._base = 0  # absolute offset of the first byte of the data being scanned
        self._stack: list[str] = []
        self._active: list[Region] = []
        self._counts: dict[str, int] = {}
        self._payload: PayloadSink | None = None
        self._payload_count = 0
        self.regions: list[Region] = []
        self.root_end_offset = -1  # where ``</电子文件封装包>`` starts: the 锁定签名 goes in front of it
        self.saw_root_end = False

    def feed(self, chunk: bytes) -> None:
        data = self._pending + chunk if self._pending else chunk
        pos = self._scan(data)
        self._pending = data[pos:]
        self._base += pos
        if len(self._pending) > MAX_TAG_BYTES:
            raise PackageRefused(f"第 {self._base} 字节处的标签超过 {MAX_TAG_BYTES} 字节，不是合法的封装包")

    def close(self) -> None:
        if self._pending.strip():
            raise PackageRefused(f"文件在第 {self._base} 字节处的标签中途结束（文件被截断）")
        if self._payload is not None or self._stack:
            open_names = "/".join(self._stack)
            raise PackageRefused(f"文件被截断：元素 {open_names or ns.ENCODED_DATA} 没有结束标签")

    def _emit(self, data: bytes, start: int, end: int, *, markup: bool) -> None:
        if start >= end:
            return
        piece = data[start:end]
        for region in self._active:
            assert region._hasher is not None
            region._hasher.update(piece)
        if markup:
            self._skeleton_bytes += end - start
            if self._skeleton_bytes > self._max_skeleton:
                raise PackageRefused(f"封装包的元数据部分超过 {self._max_skeleton} 字节上限（编码数据之外的内容过大）")
            self._on_markup(piece)
        else:
            assert self._payload is not None
            self._payload.write(piece)

    def _scan(self, data: bytes) -> int:
        """Scan as far as complete tags allow; return how many bytes were consumed."""
        pos, size = 0, len(data)
        while pos < size:
            lt = data.find(b"<", pos)
            if self._payload is not None:
                self._emit(data, pos, size if lt < 0 else lt, markup=False)
                if lt < 0:
                    return size
                self._payload.close()
                self._payload = None
            else:
                self._emit(data, pos, size if lt < 0 else lt, markup=True)
                if lt < 0:
                    return size
            if lt + 1 >= size:
                return lt
            marker = data[lt + 1 : lt + 2]
            if marker == b"?":
                end = data.find(b"?>", lt)
                if self._base + lt != 0:
                    raise PackageRefused(f"第 {self._base + lt} 字节处有处理指令，封装包中不允许")
                if end < 0:
                    return lt
                if not _DECLARATION.fullmatch(data, lt, end + 2):
                    raise PackageRefused(
                        'XML 声明须为 version="1.0"、encoding="UTF-8"：封装包只接受 UTF-8 编码的 XML 1.0'
                    )
                self._emit(data, lt, end + 2, markup=True)
                pos = end + 2
                continue
            if marker == b"!":
                raise PackageRefused(
                    f"第 {self._base + lt} 字节处有 DTD、实体声明、注释或 CDATA（“<!”），"
                    "封装包中一律不允许（防止 XXE 与实体膨胀攻击）"
                )
            match = _TAG.match(data, lt)
            if match is None:
                return lt
            pos = match.end()
            self._tag(data, lt, pos, match)
        return pos

    def _tag(self, data: bytes, start: int, end: int, match: re.Match[bytes]) -> None:
        closing, raw_name, rest = match.group(1), match.group(2), match.group(3)
        try:
            name = raw_name.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PackageRefused(f"第 {self._base + start} 字节处的元素名不是 UTF-8") from exc
        if not name or ":" in name:
            raise PackageRefused(
                f"第 {self._base + start} 字节处的元素 {name!r} 带命名空间前缀或无名："
                "封装包须以 EEP 命名空间为默认命名空间、元素不带前缀"
            )
        if closing:
            self._end_tag(data, start, end, name)
        elif rest.rstrip().endswith(b"/"):
            self._emit(data, start, end, markup=True)  # an empty element opens and closes nothing we track
        else:
            self._start_tag(data, start, end, name, raw_name == _PAYLOAD_NAME)

    def _start_tag(self, data: bytes, start: int, end: int, name: str, is_payload: bool) -> None:
        self._stack.append(name)
        if name in TRACKED:
            index = self._counts.get(name, 0)
            self._counts[name] = index + 1
            hasher = BackgroundHasher(hashlib.sha256())  # off the main thread, which decodes base64
            region = Region(name, index, tuple(self._stack), self._base + start, _hasher=hasher)
            self._active.append(region)
            self.regions.append(region)
        self._emit(data, start, end, markup=True)
        if is_payload:
            self._payload = self._open_payload(self._payload_count)
            self._payload_count += 1

    def _end_tag(self, data: bytes, start: int, end: int, name: str) -> None:
        if not self._stack or self._stack[-1] != name:
            expected = self._stack[-1] if self._stack else "（无）"
            where = self._base + start
            raise PackageRefused(f"第 {where} 字节处结束标签 {name} 与开始标签 {expected} 不匹配")
        if len(self._stack) == 1:
            self.root_end_offset = self._base + start
            self.saw_root_end = True
        self._emit(data, start, end, markup=True)
        self._stack.pop()
        if name in TRACKED:
            region = self._active.pop()
            assert region._hasher is not None and region.name == name
            region.sha256 = region._hasher.digest()
            region.end = self._base + end
            region._hasher = None

    def regions_named(self, name: str) -> list[Region]:
        return [region for region in self.regions if region.name == name]
