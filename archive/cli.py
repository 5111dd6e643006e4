"""`oa archive verify|extract`: checking and unpacking EEP packages offline, with readable reports."""

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
