"""The archive's 锁定签名: added on acceptance, over the exact bytes of the unit's 电子签名.

A streaming copy: the accepted package is verified in one pass (which also yields the byte offsets), then
copied unchanged up to the root's end tag, the 锁定签名 is written, and the root is closed. Nothing
before the insertion point changes, so the unit's signature still verifies on the locked package.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import BinaryIO, Protocol

from lxml import etree

from archive.eep import namespaces as ns
from archive.eep.builder import text_element, write_signature_fields
from archive.eep.extract import PackageRejected
from archive.eep.metadata_reader import text
from archive.eep.reader import ReadLimits, scan_package
from archive.eep.signing import LOCK_RULE, PackageSigner
from archive.eep.verify import DEFAULT_LIMITS, evaluate_scan

COPY_CHUNK = 4 * 1024 * 1024


class LockError(ValueError):
    """The package cannot be locked (already locked, no signature to lock)."""


class Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...


def copy_range(source: BinaryIO, start: int, end: int, out: Writable) -> None:
    """Copy bytes ``[start, end)`` of ``source`` to ``out`` in bounded chunks."""
    source.seek(start)
    remaining = end - start
    while remaining > 0:
        chunk = source.read(min(COPY_CHUNK, remaining))
        if not chunk:
            raise LockError(f"源文件在第 {end - remaining} 字节处提前结束")
        out.write(chunk)
        remaining -= len(chunk)


def lock_signature_xml(locked_id: str, digest: bytes, signer: PackageSigner) -> bytes:
    buffer = io.BytesIO()
    with (
        etree.xmlfile(buffer, encoding="utf-8") as xf,
        xf.element(ns.q(ns.LOCK_SIGNATURE), nsmap={None: ns.EEP_NS}),
    ):
        text_element(xf, ns.LOCKED_SIGNATURE_ID, locked_id)
        write_signature_fields(xf, signer, digest, LOCK_RULE, locked_id)
    return buffer.getvalue()


def apply_lock_signature(
    path_in: Path, path_out: Path, archive_signer: PackageSigner, *, limits: ReadLimits = DEFAULT_LIMITS
) -> str:
    """Write ``path_in`` plus the archive's 锁定签名 to ``path_out``; returns the locked 签名标识符.

    Refuses a package that does not verify (``PackageRejected``) or already carries a 锁定签名.
    """
    scan = scan_package(path_in, limits=limits)
    report = evaluate_scan(path_in, scan)
    if not report.ok:
        raise PackageRejected(report)
    if scan.root.find(ns.q(ns.LOCK_SIGNATURE)) is not None:
        raise LockError(f"封装包 {path_in} 已有锁定签名，不能再次锁定")
    top_level = [region for region in scan.regions_named(ns.SIGNATURE) if len(region.path) == 3]
    first = scan.root.find(f"{ns.q(ns.SIGNATURE_BLOCK)}/{ns.q(ns.SIGNATURE)}")
    if not top_level or first is None:
        raise LockError(f"封装包 {path_in} 没有可锁定的电子签名")
    locked_id = text(first, ns.SIGNATURE_ID) or ""
    lock_xml = lock_signature_xml(locked_id, top_level[0].sha256, archive_signer)
    with path_in.open("rb") as source, path_out.open("wb") as out:
        copy_range(source, 0, scan.root_end_offset, out)
        out.write(lock_xml)
        source.seek(scan.root_end_offset)
        shutil.copyfileobj(source, out, COPY_CHUNK)
    return locked_id
