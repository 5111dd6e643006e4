"""`oa archive verify|extract|audit|export`: checking and unpacking EEP packages offline, re-verifying every stored
package (fixity), and exporting a year's accepted items for transfer to the county archives."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO


class ProgressBar:
    """A one-line progress bar on stderr for large packages (only drawn on a terminal, at most 10 times a second)."""

    def __init__(self, label: str, stream: TextIO = sys.stderr) -> None:
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{done / 1_048_576:,.0f}/{total / 1_048_576:,.0f} MB")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def cmd_verify(args: argparse.Namespace) -> int:
    from archive.eep.verify import verify_package

    failures = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"✗ {path}: 文件不存在 / no such file")
            failures += 1
            continue
        report = verify_package(path, progress=ProgressBar(path.name))
        if report.ok:
            signers = "、".join(f"{s.signer}{'（锁定签名）' if s.is_lock else ''}" for s in report.signatures)
            print(f"✓ {path}: 通过 / valid — {report.size:,} 字节, SHA-256 {report.sha256[:16]}…, 签名: {signers}")
            continue
        failures += 1
        print(f"✗ {path}: 未通过 / INVALID ({len(report.findings)} 项问题)")
        for finding in report.findings:
            expected = f"（应为：{finding.expected}）" if finding.expected else ""
            print(f"    - {finding.element}: {finding.problem}{expected}")
        for signature in report.signatures:
            if not signature.valid:
                print(f"    - 签名 {signature.signature_id}（{signature.signer}）: {signature.reason}")
    return 1 if failures else 0


def cmd_extract(args: argparse.Namespace) -> int:
    from archive.eep.extract import PackageRejected, extract_package

    out_dir = Path(args.output or Path(args.file).with_suffix(""))
    try:
        written = extract_package(Path(args.file), out_dir)
    except (PackageRejected, OSError) as exc:
        print(f"✗ {args.file}: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"  {path}")
    print(f"已还原 {len(written)} 个文件到 {out_dir} / restored {len(written)} files")
    return 0


async def _audit(progress: bool) -> int:
    from archive.keeping.fixity import audit_packages
    from archive.keeping.store import PackageStore
    from oa.services import Services
    from oa.settings import Settings

    settings = Settings.from_environ()
    services = Services.create(settings)
    try:
        async with services.sessions() as session:
            report = await audit_packages(session, PackageStore(settings.data_dir),
                                          ProgressBar("复核 / audit") if progress else None)
    finally:
        await services.close()
    print(report.to_text())
    return 0 if report.ok else 1


def cmd_audit(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_audit(not args.quiet))


async def _export(year: int, formats: list[str], out: Path, unit_codes: list[str]) -> int:
    from sqlalchemy import select

    from archive.catalogue.service import build_batch
    from archive.export import ExportError, export_batch
    from archive.keeping.directory import county_archives
    from archive.keeping.models import ArchiveItem, ItemStatus
    from oa.database import utcnow
    from oa.org.models import Unit
    from oa.services import Services
    from oa.settings import Settings

    settings = Settings.from_environ()
    services = Services.create(settings)
    try:
        async with services.sessions() as session:
            dag = await county_archives(session)
            query = select(ArchiveItem, Unit).join(Unit, Unit.id == ArchiveItem.unit_id).where(
                ArchiveItem.year == year, ArchiveItem.status == ItemStatus.ACCEPTED)
            if unit_codes:
                query = query.where(Unit.code.in_([code.upper() for code in unit_codes]))
            rows = (await session.execute(query.order_by(Unit.code, ArchiveItem.archival_code))).tuples().all()
    finally:
        await services.close()
    if not rows:
        print(f"✗ {year} 年度没有已接收的档案 / no accepted items for {year}", file=sys.stderr)
        return 1
    by_unit: dict[int, tuple[Unit, list[ArchiveItem]]] = {}
    for item, unit in rows:
        by_unit.setdefault(unit.id, (unit, []))[1].append(item)
    now = utcnow()
    for unit, items in by_unit.values():
        try:
            written = export_batch(build_batch(settings, unit, year, items, dag, now), out, formats)
        except (ExportError, OSError) as exc:
            print(f"✗ {unit.name}: {exc}", file=sys.stderr)
            return 1
        for name, path in written.items():
            print(f"✓ {unit.name} {year}（{len(items)} 件）{name}: {path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import asyncio

    formats = [name.strip() for name in args.formats.split(",") if name.strip()]
    return asyncio.run(_export(args.year, formats, Path(args.out), args.unit or []))


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    archive = sub.add_parser("archive", help="电子档案封装包 / archive packages (EEP, DA/T 48)")
    archive_sub = archive.add_subparsers(dest="archive_command", required=True)
    verify = archive_sub.add_parser(
        "verify", help="离线校验封装包（结构、摘要、签名、base64）/ verify packages offline",
        description="Checks each package: well-formed and hardened parse, the shipped XSD, base64, every file's "
                    "size and digests, the 电子签名 and 锁定签名. Exit code 1 if any package fails.")
    verify.add_argument("files", nargs="+", metavar="FILE")
    verify.set_defaults(func=cmd_verify)
    extract = archive_sub.add_parser("extract", help="还原封装包中的文件 / restore the files of a package")
    extract.add_argument("file", metavar="FILE")
    extract.add_argument("-o", "--output", help="目标目录（默认：包名去掉扩展名）")
    extract.set_defaults(func=cmd_extract)
    audit = archive_sub.add_parser(
        "audit", help="复核档案存储中的全部封装包（摘要、签名）/ re-verify every stored package",
        description="Re-reads every package the catalogue records (OA_DATABASE_URL, OA_DATA_DIR): file present, "
                    "SHA-256 and size as recorded, digests and signatures valid. Exit code 1 on any damage.")
    audit.add_argument("-q", "--quiet", action="store_true", help="不显示进度条")
    audit.set_defaults(func=cmd_audit)
    export = archive_sub.add_parser(
        "export", help="导出年度已接收档案 / export a year's accepted items",
        description="Writes each unit's accepted items of the year as an EEP batch with its 移交清单, a BagIt bag "
                    "and/or an E-ARK SIP under --out (formats: eep, eep-zip, bagit, eark, eark-zip).")
    export.add_argument("--year", type=int, required=True)
    export.add_argument("--formats", default="eep,bagit,eark")
    export.add_argument("--out", required=True, metavar="DIR")
    export.add_argument("--unit", action="append", metavar="CODE", help="只导出这些单位（可重复）")
    export.set_defaults(func=cmd_export)
