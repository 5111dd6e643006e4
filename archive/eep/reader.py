"""The hardened streaming reader: one pass over a package file, a small parsed skeleton at the end.

Hostile input is stopped twice. The ``MarkupScanner`` refuses DTDs, entity declarations, comments, CDATA,
processing instructions and prefixed names before any parser sees them; the lxml parser is then built with
``resolve_entities=False``, ``no_network=True``, ``load_dtd=False`` and without ``huge_tree``, so an
undeclared entity reference is a syntax error and no text node of the skeleton may exceed libxml2's limit.
The payload text never reaches the parser: 编码数据 arrives there empty (valid ``xs:base64Binary``), which
is why the whole skeleton can be validated against the XSD (see ``verify.py``) at any file size, while the
base64 itself is checked strictly by ``PayloadDecoder``. Sizes are capped by ``ReadLimits``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from archive.eep.markup_scanner import MarkupScanner, PackageRefused, Region
from archive.eep.payload import DIGEST_ALGORITHMS, BackgroundHasher, PayloadDecoder

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ReadLimits:
    """Caps for untrusted packages; raise them deliberately for known-large transfers."""

    max_package_bytes: int = 8 * 1024**3
    max_skeleton_bytes: int = 16 * 1024**2  # one item's metadata is kilobytes; the tree costs ~10× this
    chunk_bytes: int = 4 * 1024**2
    # Which recorded file digests to recompute. Both by default; SM3 is several times slower than
    # SHA-256 in OpenSSL, so a caller re-checking fixity in bulk may choose SHA-256 alone (the
    # signature already binds both digests).
    digest_algorithms: tuple[str, ...] = DIGEST_ALGORITHMS


@dataclass
class PackageScan:
    """What one pass over a package yields."""

    root: etree._Element
    regions: list[Region]
    payloads: list[PayloadDecoder]
    root_end_offset: int
    size: int
    sha256: str  # of the whole package file, for "the package received equals the package sent"
    digest_algorithms: tuple[str, ...] = DIGEST_ALGORITHMS

    def regions_named(self, name: str) -> list[Region]:
        return [region for region in self.regions if region.name == name]


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def scan_package(
    path: Path,
    *,
    limits: ReadLimits = ReadLimits(),
    progress: ProgressCallback | None = None,
    payload_target: Callable[[int], BinaryIO | None] | None = None,
) -> PackageScan:
    """Read ``path`` once; raise ``PackageRefused`` for anything that is not a well-formed, safe package.

    ``payload_target(i)`` may return a stream that receives the decoded bytes of the i-th 编码数据 (the
    extractor uses it); ``progress(done, total)`` is called after each chunk.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackageRefused(f"无法读取封装包 {path}：{exc}") from exc
    if size > limits.max_package_bytes:
        raise PackageRefused(f"封装包 {size} 字节，超过 {limits.max_package_bytes} 字节的上限，拒绝读取")
    parser = hardened_parser()
    payloads: list[PayloadDecoder] = []

    def open_payload(index: int) -> PayloadDecoder:
        target = payload_target(index) if payload_target else None
        decoder = PayloadDecoder(index, target, limits.digest_algorithms)
        payloads.append(decoder)
        return decoder

    scanner = MarkupScanner(parser.feed, open_payload, max_skeleton_bytes=limits.max_skeleton_bytes)
    done = 0
    whole = BackgroundHasher(hashlib.sha256())
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(limits.chunk_bytes):
                done += len(chunk)
                if done > limits.max_package_bytes:  # the file grew while we read it
                    raise PackageRefused(f"封装包超过 {limits.max_package_bytes} 字节的上限，拒绝读取")
                whole.update(chunk)
                scanner.feed(chunk)
                if progress is not None:
                    progress(done, size)
        scanner.close()
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise PackageRefused(f"封装包不是格式良好的 XML：{exc}") from exc
    if not scanner.saw_root_end:
        raise PackageRefused("封装包没有根元素的结束标签（文件被截断）")
    return PackageScan(
        root, scanner.regions, payloads, scanner.root_end_offset, done, whole.hexdigest(), limits.digest_algorithms
    )
