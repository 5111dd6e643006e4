"""Receipts (回执): small signed XML messages answering a delivered 公文.

Types: 送达 (delivered: the receiving node sends it at once, as the answer to the delivery itself), then the
business receipts 签收 (signed for by the registrar), 退文 (returned, with at least one reason) and 办结
(closed). A receipt travels like any message: built here, signed with `signing.sign_message`, checked on
arrival by `receive.check_incoming`. It keeps the original's process id and names the original message in
`inReplyTo`, which is how the sender matches it to its outbox row. Receipts are never themselves receipted.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from docflow.exchange.errors import ExchangeRefusal, MessageBuildError, SchemaViolation
from docflow.exchange.hardened_xml import parse_untrusted, validate_message
from docflow.exchange.message_header import (
    InReplyTo,
    MessageHeader,
    MessageKind,
    add_text,
    all_texts,
    build_header,
    child,
    child_text,
    format_utc,
    parse_header,
    parse_utc,
    required_text,
    serialise,
)
from docflow.exchange.namespaces import NSMAP, RECEIPT_TAG, q


class ReceiptType(enum.StrEnum):
    DELIVERED = "送达"
    SIGNED_FOR = "签收"
    RETURNED = "退文"
    CLOSED = "办结"


@dataclass(frozen=True, slots=True)
class Receipt:
    header: MessageHeader
    receipt_type: ReceiptType
    at: datetime  # when it was delivered / signed for / returned / closed
    handled_by: str | None = None  # 经办人
    reasons: tuple[str, ...] = ()  # 理由, required for 退文
    note: str | None = None  # 说明

    def __post_init__(self) -> None:
        if self.header.kind is not MessageKind.RECEIPT:
            raise MessageBuildError("回执的 kind 必须是 receipt")
        if self.header.in_reply_to is None or self.header.in_reply_to.message_id is None:
            raise MessageBuildError("回执必须指明所答复的原消息（inReplyTo 的 processId 与 messageId）")
        if self.receipt_type is ReceiptType.RETURNED and not any(reason.strip() for reason in self.reasons):
            raise MessageBuildError("退文必须写明理由")
        if self.at.tzinfo is None:
            raise MessageBuildError("回执时间必须带时区")

    @property
    def original_message_id(self) -> uuid.UUID:
        assert self.header.in_reply_to is not None and self.header.in_reply_to.message_id is not None
        return self.header.in_reply_to.message_id


def receipt_for(
    original: MessageHeader,
    receipt_type: ReceiptType,
    *,
    message_id: uuid.UUID,
    sent_at: datetime,
    at: datetime | None = None,
    handled_by: str | None = None,
    reasons: tuple[str, ...] = (),
    note: str | None = None,
) -> Receipt:
    """A receipt answering `original`: from its recipient back to its sender, in the same process.

    The caller supplies the new message id and times (pure code: no clock, no random here).
    """
    if original.kind is not MessageKind.DOCUMENT:
        raise MessageBuildError("只有公文需要回执，回执本身不再回执")
    header = MessageHeader(
        message_id=message_id,
        process_id=original.process_id,
        kind=MessageKind.RECEIPT,
        sender_unit=original.recipient_unit,
        recipient_unit=original.sender_unit,
        sent_at=sent_at,
        in_reply_to=InReplyTo(original.process_id, original.message_id),
    )
    return Receipt(header, receipt_type, at or sent_at, handled_by, reasons, note)


def build_receipt(receipt: Receipt) -> bytes:
    """Canonical UTF-8 XML of a receipt, validated against receipt-1.0.xsd before it is signed."""
    try:
        root = _receipt_tree(receipt)
    except ValueError as exc:  # lxml refuses control characters, which XML 1.0 cannot carry
        raise MessageBuildError(f"回执数据含有 XML 不允许的控制字符：{exc}") from exc
    try:
        validate_message(root)
    except ExchangeRefusal as exc:
        raise MessageBuildError(f"回执数据不符合交换协议：{exc.message}") from exc
    return serialise(root)


def _receipt_tree(receipt: Receipt) -> etree._Element:
    root = etree.Element(RECEIPT_TAG, nsmap=NSMAP)
    root.set("version", receipt.header.protocol_version)
    build_header(root, receipt.header)
    body = etree.SubElement(root, q("回执"))
    body.set("类型", receipt.receipt_type.value)
    add_text(body, "时间", format_utc(receipt.at))
    if receipt.handled_by is not None:
        add_text(body, "经办人", receipt.handled_by)
    for reason in receipt.reasons:
        add_text(body, "理由", reason)
    if receipt.note is not None:
        add_text(body, "说明", receipt.note)
    return root


def receipt_from_tree(root: etree._Element) -> Receipt:
    """The receipt held by a tree that passed `validate_message`; rules XSD cannot say become refusals."""
    body = child(root, "回执")
    if body is None:
        raise ValueError("missing 回执")
    try:
        return Receipt(
            header=parse_header(root),
            receipt_type=ReceiptType(body.get("类型", "")),
            at=parse_utc(required_text(body, "时间")),
            handled_by=child_text(body, "经办人"),
            reasons=all_texts(body, "理由"),
            note=child_text(body, "说明"),
        )
    except MessageBuildError as exc:
        raise SchemaViolation(f"回执不符合交换协议：{exc}") from exc


def parse_receipt(data: bytes) -> Receipt:
    """Parse and validate receipt bytes (no signature check: use `receive.check_incoming` for that)."""
    root = parse_untrusted(data)
    if root.tag != RECEIPT_TAG:
        raise SchemaViolation("这不是回执（根元素应为 receipt）")
    validate_message(root)
    return receipt_from_tree(root)
