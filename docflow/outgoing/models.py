"""Tables of outgoing documents: the document with its flow state, versions, tasks, the action history,
workflow definitions per unit, and delegations (委托).

A document row is the lock of its flow: every workflow action takes it FOR UPDATE first, so two actions on one
document run one after the other and each sees the other's result; the `version` column doubles as the optimistic
check for content saves (a stale save is refused).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docflow.rules.workflow_definition import StepKind
from docflow.rules.workflow_state import DocState, TaskOutcome, TaskStatus
from oa.database import Base, UTCDateTime, str_enum


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_unit_state", "unit_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier: Mapped[str] = mapped_column(String(64), unique=True)  # 公文标识
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    drafter_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    state: Mapped[DocState] = mapped_column(str_enum(DocState, "doc_state"))
    doc_type: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    urgency: Mapped[str | None] = mapped_column(String(8))
    daizi: Mapped[str] = mapped_column(String(20))  # 机关代字 series the number will come from
    doc_number: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    flow: Mapped[dict[str, Any]] = mapped_column(JSON)  # round, returned_from, handoff, signoff, definition
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class DocumentVersion(Base):
    """Every save is a version: the full content as it was, who saved it, when, and at which step."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    step: Mapped[str] = mapped_column(String(8))
    summary: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DocumentTask(Base):
    __tablename__ = "document_tasks"
    __table_args__ = (
        UniqueConstraint("document_id", "task_no"),
        Index("ix_document_tasks_holder_status", "holder_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    task_no: Mapped[int] = mapped_column(Integer)
    step: Mapped[StepKind] = mapped_column(str_enum(StepKind, "step_kind"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    round: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus, "task_status"))
    outcome: Mapped[TaskOutcome | None] = mapped_column(str_enum(TaskOutcome, "task_outcome"), default=None)
    opinion: Mapped[str] = mapped_column(Text, default="")
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    # Automatic 催办: each reminder is sent once per task (see docflow/outgoing/reminders.py).
    reminded_near_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reminded_overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


# The 待办 page straight from an index, in its order (deadline first, no deadline last, newest first): without it
# PostgreSQL read and sorted every open task of the holder, with a join per task, for each 20-row page (10 ms for
# a holder with 2,500 open tasks). Partial, so closed tasks (the bulk of the table) are not in it. PostgreSQL's
# ascending order already puts NULLs last; SQLite sorts NULLs first, so there the index narrows and a sort orders.
Index("ix_document_tasks_todo", DocumentTask.holder_id, DocumentTask.due_at, DocumentTask.created_at.desc(),
      postgresql_where=DocumentTask.status == "open", sqlite_where=DocumentTask.status == "open")


class DocumentAction(Base):
    """The document's history: every action, who (and for whom), from which state to which, with the opinion."""

    __tablename__ = "document_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkflowSetting(Base):
    """A unit's outgoing workflow (steps, holders, deadlines, 会签 policy); absent means the standard one."""

    __tablename__ = "workflow_settings"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DocTemplate(Base):
    """A unit's drafting template: 文种, 发文机关标志, 代字 series and default recipients."""

    __tablename__ = "doc_templates"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str] = mapped_column(String(8))
    issuer_mark: Mapped[str] = mapped_column(String(100))
    issuer_name: Mapped[str] = mapped_column(String(100))
    daizi: Mapped[str] = mapped_column(String(20))
    defaults: Mapped[dict[str, Any]] = mapped_column(JSON)  # main/copy recipients, publication level, printer


class Delegation(Base):
    """委托: while away, a person's tasks may be handled by a delegate, who is recorded as acting for them."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
