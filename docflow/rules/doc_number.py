"""The 发文字号 `{机关代字}〔{YYYY}〕{n}号` (domain.md §2): formatting and strict parsing.

The number is assigned at 登记 from a counter per (organ, 代字 series, year); this module only knows
its textual form. Parsing is strict because the number is printed, exchanged and catalogued: a
near miss (ASCII brackets, 第, zero padding) is refused with a message saying how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The pattern of domain.md §2, verbatim: full year, 〔〕 (U+3014/U+3015), no zero padding, no 第.
DOC_NUMBER_PATTERN = re.compile(r"^(?P<daizi>[\u4e00-\u9fff]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")
_DAIZI_PATTERN = re.compile(r"^[\u4e00-\u9fff]+$")
_WRONG_BRACKETS = "[]［］()（）【】〈〉<>"
MIN_YEAR = 1949
MAX_YEAR = 2999


class DocNumberError(ValueError):
    """A 发文字号 (or one of its parts) is malformed; `code` is stable, the message says what to fix."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, order=True)
class DocNumber:
    """One 发文字号, e.g. DocNumber("象政发", 2008, 70) ↔ 象政发〔2008〕70号."""

    daizi: str
    year: int
    seq: int

    def __post_init__(self) -> None:
        check_daizi(self.daizi)
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise DocNumberError(
                "doc_number.year", f"年份应为四位完整年份（{MIN_YEAR}–{MAX_YEAR}），实际为 {self.year}"
            )
        if self.seq < 1:
            raise DocNumberError("doc_number.seq", f"发文顺序号从 1 开始，实际为 {self.seq}")

    def __str__(self) -> str:
        return format_doc_number(self)


def check_daizi(daizi: str) -> str:
    """Return the 机关代字 unchanged, or raise if it is not a run of Chinese characters."""
    if not daizi:
        raise DocNumberError("doc_number.daizi", "机关代字不能为空，例如“象政发”")
    if not _DAIZI_PATTERN.match(daizi):
        raise DocNumberError("doc_number.daizi", f"机关代字只能由汉字组成（例如“象政发”），实际为“{daizi}”")
    return daizi


def format_doc_number(number: DocNumber) -> str:
    """Render the printed form: 代字〔年份〕顺序号号."""
    return f"{number.daizi}〔{number.year}〕{number.seq}号"


def parse_doc_number(text: str) -> DocNumber:
    """Parse a printed 发文字号; raise DocNumberError explaining the first thing to fix."""
    candidate = text.strip()
    match = DOC_NUMBER_PATTERN.match(candidate)
    if match is not None:
        return DocNumber(match["daizi"], int(match["year"]), int(match["seq"]))
    raise DocNumberError("doc_number.format", _explain(candidate))


def is_doc_number(text: str) -> bool:
    """True when `text` is a well-formed 发文字号."""
    return DOC_NUMBER_PATTERN.match(text.strip()) is not None


def _explain(text: str) -> str:
    """Name the most likely mistake, so the user knows what to change (not just that it is wrong)."""
    example = "格式应为“代字〔年份〕序号号”，例如“象政发〔2008〕70号”"
    if not text:
        return f"发文字号为空；{example}"
    if "〔" not in text or "〕" not in text:
        if any(ch in text for ch in _WRONG_BRACKETS):
            return f"“{text}”的年份须用六角括号〔〕括入，不能用其他括号；{example}"
        return f"“{text}”缺少用六角括号〔〕括入的年份；{example}"
    if "第" in text:
        return f"“{text}”中的顺序号前不加“第”；{example}"
    year = re.search(r"〔(.*?)〕", text)
    if year is not None and not re.fullmatch(r"\d{4}", year.group(1)):
        return f"“{text}”的年份应写完整的四位数字；{example}"
    if re.search(r"〕0\d*号", text):
        return f"“{text}”的顺序号不编虚位（不在前面补 0）；{example}"
    if not text.endswith("号"):
        return f"“{text}”应以“号”结尾；{example}"
    if not _DAIZI_PATTERN.match(text.split("〔", 1)[0] or "x"):
        return f"“{text}”的机关代字只能由汉字组成；{example}"
    return f"“{text}”不是有效的发文字号；{example}"
