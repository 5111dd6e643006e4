"""The four checks (四性检测) run on a package as it arrives, with a context read from the catalogue.

`check_arrival` verifies the package with the hardened reader and the shipped XSD, restores its files into a
scratch folder for the virus scanner (ClamAV when installed, an honest warning when not), and runs the pure
checks. Blocking I/O: call it from a worker thread. The result is plain data kept with the item.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive.checks import CheckContext, CheckReport, TransferListEntry, run_four_checks
from archive.checks.antivirus import ClamAvScanner, VirusScanOutcome
from archive.checks.formats import DEFAULT_WHITELIST, FileKind
from archive.eep.extract import PackageRejected, extract_package
from archive.eep.verify import VerifyReport, verify_package

Scanner = Callable[[Sequence[Path]], VirusScanOutcome]


@dataclass(frozen=True)
class ArrivalFacts:
    """What the catalogue knows when a package arrives."""

    transfer_entry: TransferListEntry | None
    used_archival_codes: frozenset[str]
    used_document_numbers: frozenset[str]
    accepted_formats: frozenset[FileKind] = DEFAULT_WHITELIST


@dataclass(frozen=True)
class ArrivalOutcome:
    verify: VerifyReport
    checks: CheckReport


def _scan(path: Path, scanner: Scanner) -> VirusScanOutcome | None:
    with tempfile.TemporaryDirectory(prefix="oa-archive-scan-") as folder:
        try:
            files = extract_package(path, Path(folder) / "files")
        except (PackageRejected, OSError):
            return None  # a package that cannot be restored already fails verification with the reason
        try:
            return scanner(files)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def check_arrival(path: Path, facts: ArrivalFacts, *, checked_at: dt.datetime, scanner: Scanner | None = None,
                  trusted_keys: Collection[str] | None = None) -> ArrivalOutcome:
    report = verify_package(path, trusted_key_fingerprints=trusted_keys)
    virus = _scan(path, scanner or ClamAvScanner()) if report.ok else None
    context = CheckContext(
        transfer_entry=facts.transfer_entry,
        used_archival_codes=facts.used_archival_codes,
        used_document_numbers=facts.used_document_numbers,
        virus_scan=virus,
        format_whitelist=facts.accepted_formats,
    )
    return ArrivalOutcome(report, run_four_checks(report, context, checked_at=checked_at))


def refusal_reasons(report: VerifyReport) -> list[str]:
    """Why a package is refused at the door, one line per problem, for the error shown to the sender."""
    reasons = [f"{f.element}：{f.problem}" for f in report.findings]
    reasons += [f"签名 {s.signature_id}：{s.reason}" for s in report.signatures if not s.valid]
    return reasons or ["封装包无法读取"]
