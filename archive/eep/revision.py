"""修改型 packages: a metadata correction wrapped around the untouched original.

``build_revision`` verifies the original, then writes a new package whose 修改封装内容 holds
- 修改声明: why the metadata changed;
- 被修改封装包: the original's 被签名对象, 电子签名块 and (if any) 锁定签名, copied byte for byte from the
  original file, so the original signatures still verify inside the new package;
- 修改层: the corrected 文件实体 (metadata only, the files stay in the original) and the business and
  person entities of the correction.
The new 被签名对象 (which contains all of the above) is signed as in a 原始型 package.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from lxml import etree

from archive.eep import namespaces as ns
from archive.eep.builder import (
    BuildError,
    BuildResult,
    PackageWriter,
    package_root,
    text_element,
    write_agents,
    write_business,
    write_file_entity,
    write_signature_block,
    write_signed_header,
)
from archive.eep.lock import copy_range
from archive.eep.markup_scanner import PackageRefused, Region
from archive.eep.model import MetadataRevision
from archive.eep.reader import ReadLimits, scan_package
from archive.eep.signing import PackageSigner
from archive.eep.verify import DEFAULT_LIMITS, evaluate_scan


def _top_level(regions: list[Region], name: str) -> Region | None:
    found = [region for region in regions if region.name == name and len(region.path) == 2]
    return found[0] if found else None


def build_revision(
    original: Path,
    revision: MetadataRevision,
    out: BinaryIO,
    signer: PackageSigner,
    *,
    signature_id: str = "SIG-1",
    limits: ReadLimits = DEFAULT_LIMITS,
) -> BuildResult:
    """Write the 修改型 package correcting ``original`` with ``revision`` to ``out``."""
    try:
        scan = scan_package(original, limits=limits)
    except PackageRefused as exc:
        raise BuildError(f"原封装包无法读取，不能据此修改：{exc}") from exc
    report = evaluate_scan(original, scan)
    if not report.ok:
        reasons = "；".join(f"{finding.element}: {finding.problem}" for finding in report.findings)
        raise BuildError(f"原封装包未通过校验，不能据此修改：{reasons}")
    pieces = [_top_level(scan.regions, name) for name in (ns.SIGNED_OBJECT, ns.SIGNATURE_BLOCK)]
    lock = _top_level(scan.regions, ns.LOCK_SIGNATURE)
    writer = PackageWriter(out)
    with original.open("rb") as source, etree.xmlfile(writer, encoding="utf-8") as xf:
        xf.write_declaration()
        with package_root(xf):
            with xf.element(ns.q(ns.SIGNED_OBJECT), {ns.SIGNED_OBJECT_VERSION_ATTR: ns.EEP_VERSION}):
                write_signed_header(xf, ns.REVISION_TYPE, revision.created_at, revision.created_by)
                with xf.element(ns.q(ns.REVISION_CONTENT)):
                    text_element(xf, ns.REVISION_DECLARATION, revision.declaration)
                    with xf.element(ns.q(ns.REVISED_PACKAGE)):
                        xf.flush()  # raw copies go straight to the stream, after lxml's buffer
                        for region in (*pieces, lock):
                            if region is not None:
                                copy_range(source, region.start, region.end, writer)
                    with xf.element(ns.q(ns.REVISION_LAYER)):
                        write_file_entity(xf, writer, revision.corrected, None)
                        write_business(xf, revision.business)
                        write_agents(xf, revision.agents)
            signed_hex = write_signature_block(xf, writer, signer, signature_id)
    writer.scanner.close()
    return BuildResult(ns.REVISION_TYPE, writer.bytes_written, signed_hex, signature_id, ())
