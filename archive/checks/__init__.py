"""The four checks (四性检测: 真实性, 完整性, 可用性, 安全性) of DA/T 70 / GB/T 18894, as pure functions.

Entry point: ``run_four_checks(verify_report, context, checked_at=...) -> CheckReport``; the report is
JSON-serialisable and is kept with the package. ``assign_archival_code`` gives the next 档号 of a class.
"""

from archive.checks.archival_code import ArchivalClass, ArchivalCode, RetentionPeriod, assign_archival_code
from archive.checks.context import CheckContext, TransferListEntry
from archive.checks.report import CheckGroup, CheckReport, CheckResult, Finding, Stage
from archive.checks.run import run_four_checks

__all__ = [
    "ArchivalClass",
    "ArchivalCode",
    "CheckContext",
    "CheckGroup",
    "CheckReport",
    "CheckResult",
    "Finding",
    "RetentionPeriod",
    "Stage",
    "TransferListEntry",
    "assign_archival_code",
    "run_four_checks",
]
