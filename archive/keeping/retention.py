"""The retention table (保管期限表): which 文种 of which unit is kept 永久, 定期30年 or 定期10年;
and each unit's 全宗号.

A default table lives in code. The system administrator overrides it with a JSON file named by
`OA_ARCHIVE_RETENTION_FILE` (read when the archive needs it, so an edit takes effect without a restart):

    {"default": "D30",
     "by_doc_type": {"通知": "D30", "函": "D10"},
     "by_unit": {"DDJD": {"通知": "D10"}},
     "fonds": {"XSX": "Z109"}}

Every key is optional; a unit's entry wins over the 文种 entry, which wins over the default. A unit without a
`fonds` entry gets `Z` and its id on three digits (Z001). Pure apart from `load_retention_table`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.checks.archival_code import RetentionPeriod

RETENTION_FILE_VARIABLE = "OA_ARCHIVE_RETENTION_FILE"
_FONDS = re.compile(r"^[0-9A-Z]{4}$")

# 文书档案保管期限: documents that set policy or rules for the county are kept for good, routine notices 30 years,
# letters and minor matters 10 years (after 机关文件材料归档范围和文书档案保管期限规定, 国家档案局令第8号).
DEFAULT_BY_DOC_TYPE: dict[str, RetentionPeriod] = {
    "决议": RetentionPeriod.PERMANENT,
    "决定": RetentionPeriod.PERMANENT,
    "命令": RetentionPeriod.PERMANENT,
    "令": RetentionPeriod.PERMANENT,
    "公报": RetentionPeriod.PERMANENT,
    "公告": RetentionPeriod.PERMANENT,
    "通告": RetentionPeriod.PERMANENT,
    "意见": RetentionPeriod.PERMANENT,
    "请示": RetentionPeriod.PERMANENT,
    "批复": RetentionPeriod.PERMANENT,
    "议案": RetentionPeriod.PERMANENT,
    "纪要": RetentionPeriod.PERMANENT,
    "报告": RetentionPeriod.THIRTY_YEARS,
    "通知": RetentionPeriod.THIRTY_YEARS,
    "通报": RetentionPeriod.THIRTY_YEARS,
    "函": RetentionPeriod.TEN_YEARS,
}


class RetentionTableError(ValueError):
    """The retention file cannot be used; the message says which entry is wrong."""


@dataclass(frozen=True)
class RetentionTable:
    default: RetentionPeriod = RetentionPeriod.THIRTY_YEARS
    by_doc_type: Mapping[str, RetentionPeriod] = field(default_factory=lambda: dict(DEFAULT_BY_DOC_TYPE))
    by_unit: Mapping[str, Mapping[str, RetentionPeriod]] = field(default_factory=dict)
    fonds: Mapping[str, str] = field(default_factory=dict)

    def retention_for(self, unit_code: str, doc_type: str) -> RetentionPeriod:
        unit_rules = self.by_unit.get(unit_code, {})
        return unit_rules.get(doc_type) or self.by_doc_type.get(doc_type) or self.default

    def fonds_for(self, unit_code: str, unit_id: int) -> str:
        return self.fonds.get(unit_code) or f"Z{unit_id % 1000:03d}"


def _period(value: Any, where: str) -> RetentionPeriod:
    try:
        return RetentionPeriod(value)
    except ValueError:
        raise RetentionTableError(f"{where} 的保管期限 {value!r} 应为 Y、D30 或 D10") from None


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RetentionTableError(f"{where} 应为 JSON 对象")
    return value


def parse_retention_table(data: Any) -> RetentionTable:
    """A table from the decoded JSON, starting from the default table (pure)."""
    root = _mapping(data, "保管期限表")
    unknown = set(root) - {"default", "by_doc_type", "by_unit", "fonds"}
    if unknown:
        raise RetentionTableError(f"保管期限表中有未知的键：{'、'.join(sorted(unknown))}")
    by_doc_type = dict(DEFAULT_BY_DOC_TYPE)
    for doc_type, value in _mapping(root.get("by_doc_type", {}), "by_doc_type").items():
        by_doc_type[doc_type] = _period(value, f"by_doc_type.{doc_type}")
    by_unit = {
        unit: {doc_type: _period(value, f"by_unit.{unit}.{doc_type}")
               for doc_type, value in _mapping(rules, f"by_unit.{unit}").items()}
        for unit, rules in _mapping(root.get("by_unit", {}), "by_unit").items()
    }
    fonds = {str(unit): str(code) for unit, code in _mapping(root.get("fonds", {}), "fonds").items()}
    for unit, code in fonds.items():
        if not _FONDS.match(code):
            raise RetentionTableError(f"fonds.{unit} 的全宗号 {code!r} 应为 4 个大写字母或数字")
    default = _period(root.get("default", RetentionPeriod.THIRTY_YEARS.value), "default")
    return RetentionTable(default, by_doc_type, by_unit, fonds)


def load_retention_table(extra_settings: Mapping[str, str]) -> RetentionTable:
    """The table named by OA_ARCHIVE_RETENTION_FILE, or the default table when the variable is unset."""
    name = extra_settings.get(RETENTION_FILE_VARIABLE)
    if not name:
        return RetentionTable()
    path = Path(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RetentionTableError(f"{RETENTION_FILE_VARIABLE} 指向的文件 {path} 无法读取：{exc}") from exc
    except json.JSONDecodeError as exc:
        raise RetentionTableError(f"{RETENTION_FILE_VARIABLE} 指向的文件 {path} 不是有效的 JSON：{exc}") from exc
    return parse_retention_table(data)
