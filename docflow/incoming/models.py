"""Tables of incoming documents: the inbox (every message another node or this node delivered, deduplicated),
the incoming document with its state, its attachments, the per-unit register counter, circulation and history.

The inbox's unique (sender node, message id) is what makes delivery exactly-once: a retried POST hits the
constraint and is answered with the receipt stored the first time. An incoming document row is the lock of its
state: each action takes it FOR UPDATE (PostgreSQL) or under SQLite's single writer.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docflow.distribution.models import MessageKind
from docflow.incoming.rules import State
from oa.database import Base, UTCDateTime, str_enum


class InboxMessage(Base):
    __tablename__ = "inbox_messages"
    __table_args__ = (UniqueConstraint("sender_node_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_node_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(36))
    process_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[MessageKind] = mapped_column(str_enum(MessageKind, "inbox_message_kind"))
    kid: Mapped[str] = mapped_column(String(128))
    body: Mapped[bytes] = mapped_column(LargeBinary)  # the exact signed bytes, kept for audit and archiving
    signature: Mapped[str] = mapped_column(Text)
    receipt_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)  # the 送达 receipt we answered
    receipt_signature: Mapped[str | None] = mapped_column(Text, default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Source(StrEnum):
    EXCHANGE = "exchange"  # arrived through the exchange (this node or another)
    MANUAL = "manual"  # registered by hand from paper or e-mail


class IncomingDocument(Base):
    __tablename__ = "incoming_documents"
    __table_args__ = (
        UniqueConstraint("unit_id", "register_year", "register_seq"),
        Index("ix_incoming_documents_unit_id_state", "unit_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    source: Mapped[Source] = mapped_column(str_enum(Source, "incoming_source"))
    inbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_messages.id"), unique=True, default=None)
    sender_unit_code: Mapped[str | None] = mapped_column(String(64), default=None)
    sender_name: Mapped[str] = mapped_column(String(200))
    message_id: Mapped[str | None] = mapped_column(String(36), default=None)
    process_id: Mapped[str | None] = mapped_column(String(36), default=None)
    title: Mapped[str] = mapped_column(String(300))
    doc_type: Mapped[str] = mapped_column(String(8))
    doc_number: Mapped[str | None] = mapped_column(String(40), default=None)
    urgency: Mapped[str | None] = mapped_column(String(8), default=None)
    elements: Mapped[dict[str, Any]] = mapped_column(JSON)  # every element as received, for display
    body: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    seal: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    state: Mapped[State] = mapped_column(str_enum(State, "incoming_state"))
    register_year: Mapped[int | None] = mapped_column(Integer, default=None)
    register_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    register_number: Mapped[str | None] = mapped_column(String(40), default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_for_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    signed_for_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    return_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    proposal: Mapped[str] = mapped_column(Text, default="")  # 拟办意见
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    instruction: Mapped[str] = mapped_column(Text, default="")  # 批示
    lead_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), default=None)
    helper_office_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    reminded_before_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reminded_overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reply_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IncomingAttachment(Base):
    __tablename__ = "incoming_attachments"
    __table_args__ = (UniqueConstraint("incoming_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incoming_id: Mapped[int] = mapped_column(ForeignKey("incoming_documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class IncomingCounter(Base):
    """One gapless counter of 收文 register numbers per unit and year (like the 发文字号 counter)."""

    __tablename__ = "incoming_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class IncomingReader(Base):
    """传阅: who the document was circulated to, by whom and when, and when each reader read it."""

    __tablename__ = "incoming_readers"

    incoming_id: Mapped[int] = mapped_column(ForeignKey("incoming_documents.id", ondelete="CASCADE"),
                                             primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class IncomingAction(Base):
    """The incoming document's history: every action, who, from which state to which, with the note."""

    __tablename__ = "incoming_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incoming_id: Mapped[int] = mapped_column(ForeignKey("incoming_documents.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
