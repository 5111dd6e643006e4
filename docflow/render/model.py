"""What is printed on a rendered 公文: plain frozen data, built by callers from a document or from JSON.

The renderer adds nothing of its own: numbering of headings is already in the text, the 成文日期 is a date
that the layout writes out, and the seal is the PNG the caller was allowed to use.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import IntEnum

# The 15 document types of 条例 (2012) art. 8.
DOC_TYPES: frozenset[str] = frozenset(
    {
        "决议",
        "决定",
        "命令",
        "令",
        "公报",
        "公告",
        "通告",
        "意见",
        "通知",
        "通报",
        "报告",
        "请示",
        "批复",
        "议案",
        "函",
        "纪要",
    }
)
# 上行文 carry 签发人 in the 版头 (GB/T 9704-2012 §7.2.5).
UPWARD_DOC_TYPES: frozenset[str] = frozenset({"报告", "请示"})
CLASSIFICATIONS: frozenset[str] = frozenset({"绝密", "机密", "秘密"})
URGENCIES: frozenset[str] = frozenset({"特急", "加急"})


class Level(IntEnum):
    """Structure level of a body block: 0 a paragraph, then the four heading levels of GB/T 9704 §7.3.3."""

    PARAGRAPH = 0
    CHAPTER = 1  # 一、  黑体
    SECTION = 2  # （一） 楷体
    ITEM = 3  # 1.   仿宋
    SUBITEM = 4  # （1） 仿宋


@dataclass(frozen=True, slots=True)
class BodyBlock:
    """One paragraph or heading of the body; ``text`` already carries its ordinal (一、 （一） 1. （1）)."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment (附件) printed on its own pages after the body, under its title."""

    title: str
    body: tuple[BodyBlock, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderDocument:
    """The 18 elements of a 公文 as they are printed (GB/T 9704-2012 §7)."""

    doc_type: str
    organ_mark: str
    title: str
    issuer_signature: str
    date: datetime.date
    body: tuple[BodyBlock, ...]
    doc_number: str | None = None
    main_recipients: str = ""
    copy_no: str | None = None
    classification: str | None = None
    classification_period: str | None = None
    urgency: str | None = None
    signers: tuple[str, ...] = ()
    attachment_notes: tuple[str, ...] = ()
    seal_image: bytes | None = field(default=None, repr=False)
    note: str | None = None
    cc: str | None = None
    printer: str | None = None
    print_date: datetime.date | None = None
    attachments: tuple[Attachment, ...] = ()
    letter_format: bool = False

    @property
    def is_upward(self) -> bool:
        """Whether the 版头 shows 签发人 (报告 and 请示 go up to a superior organ)."""
        return self.doc_type in UPWARD_DOC_TYPES


def chinese_date(day: datetime.date) -> str:
    """The 成文日期 as GB/T 9704-2012 §7.3.5.2 writes it: Arabic numerals, full year, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"
