"""Run the four checks (四性检测) on a verified package and collect one ``CheckReport``.

Pure: everything comes in through the ``VerifyReport`` (from ``archive.eep.verify``) and the
``CheckContext``; ``checked_at`` is passed in so the same inputs give the same report.
"""

from __future__ import annotations

import datetime as dt

from archive.checks.authenticity import check_authenticity
from archive.checks.context import CheckContext
from archive.checks.integrity import check_integrity
from archive.checks.report import CheckGroup, CheckReport, Finding, finding
from archive.checks.security import check_security
from archive.checks.usability import check_usability
from archive.eep.verify import VerifyReport


def run_four_checks(report: VerifyReport, context: CheckContext, *, checked_at: dt.datetime) -> CheckReport:
    meta = report.metadata
    if meta is None:
        # The package was refused before its metadata could be read: every group fails for that reason.
        reasons = [f"{item.element}：{item.problem}" for item in report.findings] or ["封装包无法读取"]
        findings: list[Finding] = [
            finding(context.stage, group, 0, "封装包可读取", reasons, ok="") for group in CheckGroup
        ]
    else:
        findings = [
            *check_authenticity(report, context, meta),
            *check_integrity(context, meta),
            *check_usability(context, meta),
            *check_security(report, context, meta),
        ]
    return CheckReport(context.stage, report.sha256, checked_at.isoformat(timespec="seconds"), tuple(findings))
