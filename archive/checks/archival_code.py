"""档号 (archival code, DA/T 22-2015): parsing, well-formedness, 件号 continuity and assignment.

Form: ``全宗号-门类代码·年度-保管期限-机构（问题）代码-件号``, e.g. ``Z109-WS·2011-Y-BGS-0001``.
全宗号 is 4 characters, 门类代码 letters (WS = 文书), 保管期限 Y (永久) / D30 (定期30年) / D10 (定期10年),
机构代码 letters or digits, 件号 4 digits zero-padded and continuous within one class
(全宗, 门类, 年度, 保管期限, 机构). The separator before the year is U+00B7 MIDDLE DOT. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RetentionPeriod(StrEnum):
    PERMANENT = "Y"
    THIRTY_YEARS = "D30"
    TEN_YEARS = "D10"

    @property
    def label(self) -> str:
        return {"Y": "永久", "D30": "定期30年", "D10": "定期10年"}[self.value]


ARCHIVAL_CODE = re.compile(
    r"^(?P<fonds>[0-9A-Z]{4})-(?P<category>[A-Z]{1,4})·(?P<year>(?:19|20)\d{2})"
    r"-(?P<retention>Y|D30|D10)-(?P<organisation>[0-9A-Z]{1,10})-(?P<item>\d{4})$"
)


class ArchivalCodeError(ValueError):
    """A 档号 that does not have the DA/T 22 form, or a class whose 件号 are used up."""


@dataclass(frozen=True)
class ArchivalClass:
    """The unit within which 件号 run continuously."""

    fonds: str
    category: str
    year: int
    retention: RetentionPeriod
    organisation: str


@dataclass(frozen=True)
class ArchivalCode:
    archival_class: ArchivalClass
    item: int

    def __str__(self) -> str:
        c = self.archival_class
        return f"{c.fonds}-{c.category}·{c.year}-{c.retention.value}-{c.organisation}-{self.item:04d}"


def parse_archival_code(text: str) -> ArchivalCode:
    match = ARCHIVAL_CODE.match(text)
    if match is None:
        raise ArchivalCodeError(
            f"档号 {text!r} 不符合“全宗号-门类代码·年度-保管期限-机构代码-件号”格式（例：Z109-WS·2011-Y-BGS-0001）"
        )
    item = int(match["item"])
    if item == 0:
        raise ArchivalCodeError(f"档号 {text!r} 的件号从 0001 起编")
    archival_class = ArchivalClass(
        match["fonds"],
        match["category"],
        int(match["year"]),
        RetentionPeriod(match["retention"]),
        match["organisation"],
    )
    return ArchivalCode(archival_class, item)


def item_number_gaps(codes: Iterable[str]) -> dict[ArchivalClass, list[int]]:
    """For each class among ``codes``, the 件号 missing between 1 and the highest one used."""
    used: dict[ArchivalClass, set[int]] = {}
    for text in codes:
        code = parse_archival_code(text)
        used.setdefault(code.archival_class, set()).add(code.item)
    gaps = {key: sorted(set(range(1, max(items) + 1)) - items) for key, items in used.items()}
    return {key: missing for key, missing in gaps.items() if missing}


def assign_archival_code(archival_class: ArchivalClass, used_codes: Iterable[str]) -> ArchivalCode:
    """The next 档号 in ``archival_class`` given every code already used (in any class).

    The lowest free 件号 is taken, so a gap left by a withdrawn item is filled first and the sequence
    stays continuous. The database must still hold 档号 unique: two concurrent callers with the same
    ``used_codes`` get the same answer, and the unique constraint decides.
    """
    taken = set()
    for text in used_codes:
        code = parse_archival_code(text)
        if code.archival_class == archival_class:
            taken.add(code.item)
    item = next(number for number in range(1, len(taken) + 2) if number not in taken)
    if item > 9999:
        raise ArchivalCodeError(f"{archival_class} 的件号已用完（最多 9999 件）")
    return ArchivalCode(archival_class, item)
