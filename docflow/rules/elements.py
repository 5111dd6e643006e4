"""The elements of an official document (条例 art. 9, GB/T 33480) and their validation.

`Elements` holds the 18 elements plus 文种, 公文标识 and 发布层次 as typed values. Validation returns
*all* violations at once (a form shows every field to fix), each with the field path and a Chinese
message saying what to change. Raw strings from forms go through `parse_doc_type` and friends,
which raise `ElementValueError` naming the accepted values.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from docflow.rules.body import Block
from docflow.rules.doc_number import DocNumberError, parse_doc_number

# GB/T 9704 sets no maximum; 100 characters covers real titles with room to spare and keeps the
# title on at most three printed lines. (unconfirmed) — callers may pass their own `title_max`.
TITLE_MAX_CHARS = 100
_COPY_NUMBER = re.compile(r"^\d{6}$")
# 保密期限 as printed after ★: “5年”, “6个月”, or “长期” (保密法 art. 15 periods).
_SECRECY_PERIOD = re.compile(r"^(?:[1-9]\d{0,1}年|[1-9]\d{0,1}个月|长期)$")


class DocType(StrEnum):
    """The 15 文种 of 条例 art. 8."""

    RESOLUTION = "决议"
    DECISION = "决定"
    ORDER = "命令"
    COMMUNIQUE = "公报"
    ANNOUNCEMENT = "公告"
    CIRCULAR_PUBLIC = "通告"
    OPINION = "意见"
    NOTICE = "通知"
    BULLETIN = "通报"
    REPORT = "报告"
    REQUEST = "请示"
    REPLY = "批复"
    MOTION = "议案"
    LETTER = "函"
    MINUTES = "纪要"


class Urgency(StrEnum):
    EXTRA_URGENT = "特急"
    URGENT = "加急"


class Classification(StrEnum):
    TOP_SECRET = "绝密"  # noqa: S105 - a 密级 label, not a credential
    SECRET = "机密"  # noqa: S105 - a 密级 label, not a credential
    CONFIDENTIAL = "秘密"


class PublicationLevel(StrEnum):
    PUBLIC = "公开"
    NOT_PUBLIC = "不公开"
    ON_REQUEST = "依申请公开"


# 上行文: they go to a superior organ, which must see who signed them off (条例 art. 9 (六)).
UPWARD_TYPES = frozenset({DocType.REPORT, DocType.REQUEST})
# 请示 一文一事, one 主送 (条例 art. 15); 报告/批复/函 are addressed to someone by nature.
ADDRESSED_TYPES = frozenset({DocType.REPORT, DocType.REQUEST, DocType.REPLY, DocType.LETTER})


_E = TypeVar("_E", bound=StrEnum)


class ElementValueError(ValueError):
    """A raw value is not one of the accepted ones; the message lists them."""


def _parse_enum(kind: type[_E], raw: str, label: str, aliases: dict[str, _E] | None = None) -> _E:
    value = raw.strip()
    if aliases and value in aliases:
        return aliases[value]
    try:
        return kind(value)
    except ValueError:
        accepted = "、".join(member.value for member in kind)
        raise ElementValueError(f"{label}“{raw}”无效，应为：{accepted}") from None


def parse_doc_type(raw: str) -> DocType:
    """A 文种 from its name; 令 is the short form of 命令 (条例 art. 8 (三) 命令（令）)."""
    return _parse_enum(DocType, raw, "文种", {"令": DocType.ORDER})


def parse_urgency(raw: str) -> Urgency | None:
    """特急/加急; an empty value means 平件 (no urgency marked)."""
    return None if not raw.strip() else _parse_enum(Urgency, raw, "紧急程度")


def parse_classification(raw: str) -> Classification | None:
    """绝密/机密/秘密; an empty value means not classified."""
    return None if not raw.strip() else _parse_enum(Classification, raw, "密级")


def parse_publication_level(raw: str) -> PublicationLevel:
    return _parse_enum(PublicationLevel, raw, "发布层次")


@dataclass(frozen=True)
class Recipient:
    """A 主送/抄送 addressee: a unit of the directory (`unit_code`) or a free-text external organ."""

    unit_code: str | None
    name: str


@dataclass(frozen=True)
class AttachmentRef:
    """An attachment as the elements see it: its title (附件说明) and stored content digest."""

    title: str
    sha256: str


@dataclass(frozen=True)
class Elements:
    """The 18 elements + 文种 + 公文标识 + 发布层次. Optional elements are None or empty."""

    doc_type: DocType
    identifier: str  # 公文标识, globally unique
    publication_level: PublicationLevel
    title: str  # 标题
    issuer_mark: str  # 发文机关标志, e.g. “象山县人民政府文件”
    issuer_names: tuple[str, ...]  # 发文机关署名 (several for a joint document)
    main_recipients: tuple[Recipient, ...] = ()  # 主送机关
    copy_recipients: tuple[Recipient, ...] = ()  # 抄送机关
    body: tuple[Block, ...] = ()  # 正文
    copy_number: str | None = None  # 份号
    classification: Classification | None = None  # 密级
    secrecy_period: str | None = None  # 保密期限
    urgency: Urgency | None = None  # 紧急程度
    doc_number: str | None = None  # 发文字号, assigned at 登记
    signers: tuple[str, ...] = ()  # 签发人
    attachments: tuple[AttachmentRef, ...] = ()  # 附件 (附件说明 derives from their titles)
    written_date: date | None = None  # 成文日期
    seal: str | None = None  # 印章: identity of the applied seal, set at 用印
    notes: str = ""  # 附注
    printing_organ: str = ""  # 印发机关
    printing_date: date | None = None  # 印发日期
    page_count: int | None = None  # 页码 (total pages of the rendered copy)

    @property
    def attachment_notes(self) -> tuple[str, ...]:
        """附件说明: “附件：1. …” lines, in attachment order."""
        return tuple(f"{i}. {a.title}" for i, a in enumerate(self.attachments, start=1))

    @property
    def classification_mark(self) -> str | None:
        """密级和保密期限 as printed, e.g. 机密★5年."""
        if self.classification is None:
            return None
        return f"{self.classification}★{self.secrecy_period}" if self.secrecy_period else str(self.classification)


@dataclass(frozen=True)
class Violation:
    """One rule an element breaks: `path` names the field (e.g. `main_recipients[1].unit_code`)."""

    path: str
    code: str
    message: str


def validate_elements(
    e: Elements,
    *,
    classified_system: bool,
    known_unit_codes: Collection[str],
    title_max: int = TITLE_MAX_CHARS,
) -> list[Violation]:
    """Every violation of the element rules, in field order; an empty list means valid."""
    found: list[Violation] = []
    found += _check_classification(e, classified_system)
    found += _check_identity(e, title_max)
    found += _check_recipients(e, known_unit_codes)
    if e.doc_type in UPWARD_TYPES and not any(name.strip() for name in e.signers):
        found.append(Violation("signers", "signers.required", f"{e.doc_type}是上行文，必须标注签发人姓名"))
    if e.doc_number is not None:
        try:
            parse_doc_number(e.doc_number)
        except DocNumberError as exc:
            found.append(Violation("doc_number", exc.code, exc.message))
    if e.page_count is not None and e.page_count < 1:
        found.append(Violation("page_count", "page_count.range", "页码（总页数）至少为 1"))
    if e.printing_date and e.written_date and e.printing_date < e.written_date:
        found.append(Violation("printing_date", "printing_date.before_written", "印发日期不能早于成文日期"))
    return found


def _check_classification(e: Elements, classified_system: bool) -> Iterable[Violation]:
    if e.classification is None:
        if e.copy_number is not None:
            yield Violation("copy_number", "copy_number.unclassified", "份号仅用于涉密公文；非涉密公文请删除份号")
        if e.secrecy_period:
            yield Violation("secrecy_period", "secrecy_period.unclassified", "未标密级的公文不能标注保密期限")
        return
    if not classified_system:
        yield Violation(
            "classification",
            "classification.not_allowed",
            f"本系统不是涉密信息系统，不能处理{e.classification}公文；请通过涉密渠道办理，或删除密级",
        )
    if e.copy_number is None or not _COPY_NUMBER.match(e.copy_number):
        yield Violation("copy_number", "copy_number.format", "涉密公文必须标注份号，份号为 6 位阿拉伯数字，例如 000001")
    if e.secrecy_period is not None and not _SECRECY_PERIOD.match(e.secrecy_period):
        yield Violation("secrecy_period", "secrecy_period.format", "保密期限应写作“5年”“6个月”或“长期”")


def _check_identity(e: Elements, title_max: int) -> Iterable[Violation]:
    if not e.identifier.strip():
        yield Violation("identifier", "identifier.required", "缺少公文标识")
    title = e.title.strip()
    if not title:
        yield Violation("title", "title.required", "标题不能为空")
    elif len(title) > title_max:
        yield Violation("title", "title.too_long", f"标题不能超过 {title_max} 个字，当前 {len(title)} 个字，请精简")
    if not e.issuer_mark.strip():
        yield Violation("issuer_mark", "issuer_mark.required", "缺少发文机关标志，例如“象山县人民政府文件”")
    if not any(name.strip() for name in e.issuer_names):
        yield Violation("issuer_names", "issuer_names.required", "缺少发文机关署名")


def _check_recipients(e: Elements, known_unit_codes: Collection[str]) -> Iterable[Violation]:
    if e.doc_type in ADDRESSED_TYPES and not e.main_recipients:
        yield Violation("main_recipients", "main_recipients.required", f"{e.doc_type}必须写明主送机关")
    if e.doc_type is DocType.REQUEST and len(e.main_recipients) > 1:
        yield Violation(
            "main_recipients",
            "main_recipients.single",
            "请示应当一文一事，只写一个主送机关；其他机关请列入抄送",
        )
    seen: dict[str, str] = {}
    for field_name, label in (("main_recipients", "主送"), ("copy_recipients", "抄送")):
        recipients: tuple[Recipient, ...] = getattr(e, field_name)
        for i, recipient in enumerate(recipients):
            path = f"{field_name}[{i}]"
            if not recipient.name.strip():
                yield Violation(f"{path}.name", "recipient.name_required", f"{label}机关第 {i + 1} 项缺少名称")
            if recipient.unit_code is not None and recipient.unit_code not in known_unit_codes:
                yield Violation(
                    f"{path}.unit_code",
                    "recipient.unknown_unit",
                    f"{label}机关“{recipient.name}”不在单位目录中；请从目录选择，或作为外部机关填写名称",
                )
            key = recipient.unit_code or f"name:{recipient.name.strip()}"
            if key in seen:
                yield Violation(
                    path,
                    "recipient.duplicate",
                    f"“{recipient.name}”已列在{seen[key]}机关中，同一机关只能出现一次",
                )
            else:
                seen[key] = label
