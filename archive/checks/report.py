"""The result of the four checks (四性检测) as data: findings with codes, kept with the package.

A ``CheckReport`` is serialised to JSON and stored beside the package, so the archivist's decision and
any later audit can show exactly what was checked, when, and why it failed. Codes follow the DA/T 70
style ``{阶段}-{组}-{序号}``: stage ``GD`` (归档, at archiving) or ``YJ`` (移交接收, at transfer); group 1
真实性, 2 完整性, 3 可用性, 4 安全性.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class CheckGroup(StrEnum):
    AUTHENTICITY = "真实性"
    INTEGRITY = "完整性"
    USABILITY = "可用性"
    SECURITY = "安全性"

    @property
    def number(self) -> int:
        return list(CheckGroup).index(self) + 1


class CheckResult(StrEnum):
    PASS = "pass"  # noqa: S105 - a check result, not a password
    WARN = "warn"
    FAIL = "fail"


class Stage(StrEnum):
    ARCHIVING = "GD"  # 归档: the unit transfers a finished document to the archive
    TRANSFER = "YJ"  # 移交接收: the archive hands a year's items to the county archives


@dataclass(frozen=True)
class Finding:
    code: str
    group: CheckGroup
    title: str
    result: CheckResult
    explanation: str


def finding(stage: Stage, group: CheckGroup, number: int, title: str, problems: list[str], *, ok: str) -> Finding:
    """A pass with ``ok`` as explanation when ``problems`` is empty, else a fail listing them."""
    code = f"{stage.value}-{group.number}-{number}"
    if problems:
        return Finding(code, group, title, CheckResult.FAIL, "；".join(problems))
    return Finding(code, group, title, CheckResult.PASS, ok)


def warning(stage: Stage, group: CheckGroup, number: int, title: str, explanation: str) -> Finding:
    return Finding(f"{stage.value}-{group.number}-{number}", group, title, CheckResult.WARN, explanation)


@dataclass(frozen=True)
class CheckReport:
    stage: Stage
    package_sha256: str
    checked_at: str
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        """True when nothing failed (warnings are for the archivist to read, not to block)."""
        return all(item.result is not CheckResult.FAIL for item in self.findings)

    def by_code(self, code: str) -> Finding:
        return next(item for item in self.findings if item.code == code)

    def failures(self) -> list[Finding]:
        return [item for item in self.findings if item.result is CheckResult.FAIL]

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "package_sha256": self.package_sha256,
            "checked_at": self.checked_at,
            "passed": self.passed,
            "findings": [asdict(item) for item in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> CheckReport:
        data = json.loads(text)
        findings = tuple(
            Finding(
                item["code"],
                CheckGroup(item["group"]),
                item["title"],
                CheckResult(item["result"]),
                item["explanation"],
            )
            for item in data["findings"]
        )
        return cls(Stage(data["stage"]), data["package_sha256"], data["checked_at"], findings)
