"""The transport header shared by every exchange message (envelope and receipt), and its XML form.

The header says who sends to whom, when, and which exchange process the message belongs to. The
`process_id` ties a reply or a receipt to the original; `message_id` is what the receiver deduplicates on
(together with the sending node).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from docflow.exchange.errors import MessageBuildError
from docflow.exchange.namespaces import PROTOCOL_VERSION, q


class MessageKind(enum.StrEnum):
    DOCUMENT = "document"
    RECEIPT = "receipt"


@dataclass(frozen=True, slots=True)
class InReplyTo:
    """The message this one answers: always its process, and the exact message when known."""

    process_id: uuid.UUID
    message_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class MessageHeader:
    message_id: uuid.UUID
    process_id: uuid.UUID
    kind: MessageKind
    sender_unit: str
    recipient_unit: str
    sent_at: datetime
    in_reply_to: InReplyTo | None = None
    protocol_version: str = PROTOCOL_VERSION

    def __post_init__(self) -> None:
        if self.sent_at.tzinfo is None:
            raise MessageBuildError("sent_at 必须带时区（协议以 UTC 传输时间）")


def format_utc(moment: datetime) -> str:
    """xs:dateTime in UTC with a `Z`; microseconds only when present, so the text is canonical."""
    if moment.tzinfo is None:
        raise MessageBuildError("时间必须带时区（协议以 UTC 传输时间）")
    utc = moment.astimezone(UTC)
    timespec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def parse_utc(text: str) -> datetime:
    """The inverse of `format_utc` (the schema already guaranteed the shape)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def add_text(parent: etree._Element, local_name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, q(local_name))
    element.text = text
    return element


def child(parent: etree._Element, local_name: str) -> etree._Element | None:
    found: etree._Element | None = parent.find(q(local_name))
    return found


def child_text(parent: etree._Element, local_name: str) -> str | None:
    element = child(parent, local_name)
    return None if element is None else (element.text or "")


def required_text(parent: etree._Element, local_name: str) -> str:
    text = child_text(parent, local_name)
    if text is None:
        # Unreachable after schema validation; kept so a caller skipping validation fails loudly.
        raise ValueError(f"missing element {local_name}")
    return text


def all_texts(parent: etree._Element, local_name: str) -> tuple[str, ...]:
    return tuple(element.text or "" for element in parent.findall(q(local_name)))


def build_header(parent: etree._Element, header: MessageHeader) -> None:
    element = etree.SubElement(parent, q("header"))
    add_text(element, "messageId", str(header.message_id))
    add_text(element, "processId", str(header.process_id))
    add_text(element, "kind", header.kind.value)
    add_text(element, "senderUnit", header.sender_unit)
    add_text(element, "recipientUnit", header.recipient_unit)
    add_text(element, "sentAt", format_utc(header.sent_at))
    if header.in_reply_to is not None:
        reply = etree.SubElement(element, q("inReplyTo"))
        add_text(reply, "processId", str(header.in_reply_to.process_id))
        if header.in_reply_to.message_id is not None:
            add_text(reply, "messageId", str(header.in_reply_to.message_id))


def parse_header(root: etree._Element) -> MessageHeader:
    element = child(root, "header")
    if element is None:
        raise ValueError("missing header")
    in_reply_to = None
    reply = child(element, "inReplyTo")
    if reply is not None:
        reply_message = child_text(reply, "messageId")
        in_reply_to = InReplyTo(
            process_id=uuid.UUID(required_text(reply, "processId")),
            message_id=None if reply_message is None else uuid.UUID(reply_message),
        )
    return MessageHeader(
        message_id=uuid.UUID(required_text(element, "messageId")),
        process_id=uuid.UUID(required_text(element, "processId")),
        kind=MessageKind(required_text(element, "kind")),
        sender_unit=required_text(element, "senderUnit"),
        recipient_unit=required_text(element, "recipientUnit"),
        sent_at=parse_utc(required_text(element, "sentAt")),
        in_reply_to=in_reply_to,
        protocol_version=root.get("version", ""),
    )


def serialise(root: etree._Element) -> bytes:
    """Canonical bytes: UTF-8, an XML declaration, no pretty-printing; same data gives the same bytes."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data
