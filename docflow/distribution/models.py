"""Tables of distribution: one delivery row per recipient of a dispatched document, and the outbox.

A `Delivery` is what the sender sees per recipient (sent → delivered → signed for → returned / closed). An
`OutboxMessage` is a signed message waiting to leave or already gone: documents and the business receipts the
receiving side sends back travel through the same table and the same worker. The stored `body` and
`signature` are resent byte for byte, so every retry carries the same message id.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oa.database import Base, UTCDateTime, str_enum


class DeliveryStatus(StrEnum):
    OFFLINE = "offline"  # 需线下送达: a free-text external organ, delivered on paper
    UNROUTABLE = "unroutable"  # no node of the directory hosts the unit (fix the directory, then resend)
    SENT = "sent"  # in the outbox, not yet acknowledged
    FAILED = "failed"  # every attempt failed; the sender sees the reason and may resend
    DELIVERED = "delivered"  # the receiving node stored it and answered with its signed 送达 receipt
    SIGNED_FOR = "signed_for"  # 签收
    RETURNED = "returned"  # 退文, with reasons
    CLOSED = "closed"  # 办结


DELIVERY_LABELS: dict[DeliveryStatus, str] = {
    DeliveryStatus.OFFLINE: "需线下送达",
    DeliveryStatus.UNROUTABLE: "无法路由",
    DeliveryStatus.SENT: "已发送",
    DeliveryStatus.FAILED: "发送失败",
    DeliveryStatus.DELIVERED: "已送达",
    DeliveryStatus.SIGNED_FOR: "已签收",
    DeliveryStatus.RETURNED: "已退文",
    DeliveryStatus.CLOSED: "已办结",
}


class OutboxStatus(StrEnum):
    PENDING = "pending"  # due at `next_attempt_at`
    DONE = "done"  # acknowledged by the receiving node
    FAILED = "failed"  # gave up after the configured number of attempts


class MessageKind(StrEnum):
    DOCUMENT = "document"
    RECEIPT = "receipt"


class Delivery(Base):
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_document_id_position", "document_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    copy_to: Mapped[bool] = mapped_column(default=False)  # 抄送 rather than 主送
    recipient_code: Mapped[str | None] = mapped_column(String(64), default=None)
    recipient_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus, "delivery_status"))
    process_id: Mapped[str | None] = mapped_column(String(36), unique=True, default=None)
    message_id: Mapped[str | None] = mapped_column(String(36), unique=True, default=None)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)  # 退文 reasons, or why sending failed
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    signed_for_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    process_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[MessageKind] = mapped_column(str_enum(MessageKind, "outbox_message_kind"))
    sender_unit: Mapped[str] = mapped_column(String(64))
    recipient_unit: Mapped[str] = mapped_column(String(64))
    target_node_id: Mapped[str] = mapped_column(String(64))
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"), default=None,
                                                    index=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus, "outbox_status"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the receipt that confirmed delivery
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
