"""What an export is made of: the accepted items of one year and the batch that carries them.

The export does not look into the database or into the packages: the caller hands over the catalogue record
of each accepted item together with the path of its already-built `.eep` file, its size and SHA-256. Every
rule that can be checked without touching a file is checked here, when the objects are built, so that a
writer never starts on a batch it would have to abandon half way.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

from archive.export.errors import InvalidExportBatch

# 档号 per DA/T 22-2015: 全宗号-门类代码·年度-保管期限-机构（问题）代码-件号, e.g. Z109-WS·2011-Y-BGS-0001.
# The character classes exclude path separators and whitespace, because the 档号 becomes the package's file
# name, and "%": RFC 8493 percent-encodes it in BagIt manifests but bagit-python (1.9) does not decode "%25",
# so such a bag would fail validation at receivers using it. No real 档号 contains any of these.
ARCHIVAL_CODE = re.compile(
    r"^(?P<fonds>[^\s/\\·%-]{4})-(?P<category>[A-Z]{1,4})·(?P<year>\d{4})-(?P<retention>Y|D30|D10)"
    r"-(?P<unit>[^\s/\\·%-]{1,16})-(?P<number>\d{4})$"
)
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
MAX_TEXT_LENGTH = 1000


class Retention(enum.StrEnum):
    """保管期限: the value written in the transfer list; `code` is the letter form used inside the 档号."""

    PERMANENT = "永久"
    THIRTY_YEARS = "定期30年"
    TEN_YEARS = "定期10年"

    @property
    def code(self) -> str:
        return _RETENTION_CODES[self]


_RETENTION_CODES = {Retention.PERMANENT: "Y", Retention.THIRTY_YEARS: "D30", Retention.TEN_YEARS: "D10"}


@dataclass(frozen=True, slots=True)
class Organisation:
    """A unit or an archives as the transfer documents name it: an identifying code and a display name."""

    code: str
    name: str

    def __post_init__(self) -> None:
        _require_text("单位代码", self.code)
        _require_text("单位名称", self.name)


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One accepted archive item (件) as it leaves the archive: catalogue metadata plus its package file."""

    archival_code: str  # 档号
    title: str  # 题名
    doc_number: str | None  # 文号 (发文字号); some records, e.g. internal reports, have none
    responsible: str  # 责任者
    date: dt.date  # 日期 of the document
    year: int  # 年度
    retention: Retention  # 保管期限
    unit_code: str  # 机构（问题）代码
    unit_name: str
    item_number: int  # 件号
    page_count: int | None  # 页数, unknown for some born-digital formats
    package_path: Path
    package_size: int
    package_sha256: str

    def __post_init__(self) -> None:
        code = self.archival_code
        match = ARCHIVAL_CODE.match(code)
        if match is None:
            raise InvalidExportBatch(f"档号 {code!r} 不符合 DA/T 22-2015 的格式（如 Z109-WS·2011-Y-BGS-0001）")
        _require_text(f"{code} 的题名", self.title)
        _require_text(f"{code} 的责任者", self.responsible)
        _require_text(f"{code} 的机构名称", self.unit_name)
        if self.doc_number is not None:
            _require_text(f"{code} 的文号", self.doc_number)
        # The 档号 repeats year, retention, unit and 件号: a record whose parts disagree was built wrongly and
        # would be filed under the wrong code by the county archives, so it is refused here.
        expected = {
            "year": f"{self.year:04d}",
            "retention": self.retention.code,
            "unit": self.unit_code,
            "number": f"{self.item_number:04d}",
        }
        for part, value in expected.items():
            if match.group(part) != value:
                raise InvalidExportBatch(f"档号 {code} 与条目的{_PART_LABELS[part]}（{value}）不一致")
        if self.page_count is not None and self.page_count < 1:
            raise InvalidExportBatch(f"{code} 的页数必须为正整数")
        if self.package_size < 0:
            raise InvalidExportBatch(f"{code} 的封装包大小不能为负数")
        if not SHA256_HEX.match(self.package_sha256):
            raise InvalidExportBatch(f"{code} 的 SHA-256 摘要应为 64 位小写十六进制")

    @property
    def fonds_code(self) -> str:
        match = ARCHIVAL_CODE.match(self.archival_code)
        assert match is not None  # checked in __post_init__
        return match.group("fonds")

    @property
    def package_file_name(self) -> str:
        """The package's name inside every export: its 档号, which is unique and safe as a file name."""
        return f"{self.archival_code}.eep"


_PART_LABELS = {"year": "年度", "retention": "保管期限", "unit": "机构代码", "number": "件号"}


@dataclass(frozen=True, slots=True)
class ExportBatch:
    """A year's accepted items of one 全宗, transferred from a unit to the county archives."""

    fonds_code: str  # 全宗号
    fonds_name: str  # 全宗名称
    year: int
    transferring_unit: Organisation
    receiving_archives: Organisation
    created_at: dt.datetime
    items: tuple[ExportItem, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _require_text("全宗名称", self.fonds_name)
        if len(self.fonds_code) != 4:
            raise InvalidExportBatch(f"全宗号 {self.fonds_code!r} 应为 4 个字符")
        if self.created_at.tzinfo is None:
            raise InvalidExportBatch("生成时间必须带时区")
        if not self.items:
            raise InvalidExportBatch(f"{self.year} 年度没有可移交的条目")
        seen: set[str] = set()
        for item in self.items:
            if item.year != self.year:
                raise InvalidExportBatch(
                    f"{item.archival_code} 属于 {item.year} 年度，不能放入 {self.year} 年度的移交批次"
                )
            if item.fonds_code != self.fonds_code:
                raise InvalidExportBatch(f"{item.archival_code} 不属于全宗 {self.fonds_code}")
            if item.archival_code in seen:
                raise InvalidExportBatch(f"档号 {item.archival_code} 在批次中重复")
            seen.add(item.archival_code)

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def total_bytes(self) -> int:
        """Sum of the package sizes: the figure the transfer list declares and the receiver re-counts."""
        return sum(item.package_size for item in self.items)

    @property
    def identifier(self) -> str:
        """A stable name for this batch, used as directory name, bag External-Identifier and SIP OBJID."""
        stamp = self.created_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return f"{self.fonds_code}-{self.year}-transfer-{stamp}"


def _require_text(label: str, value: str) -> None:
    # The same limits as the transfer list schema's 非空文本, so that a batch built here always yields a
    # valid list. Control characters would also break the line-oriented BagIt tag files.
    if not value or not value.strip():
        raise InvalidExportBatch(f"{label}不能为空")
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in value):
        raise InvalidExportBatch(f"{label}含有控制字符：{value!r}")
    if value != value.strip():
        raise InvalidExportBatch(f"{label}首尾不能有空白：{value!r}")
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidExportBatch(f"{label}超过 {MAX_TEXT_LENGTH} 个字符")
