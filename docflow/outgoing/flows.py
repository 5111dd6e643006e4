"""Translating between rows and the pure `Flow`: the flow JSON column, the definition JSON, and task rows.

People appear in the pure core as strings (their ids), so the rules stay free of the org model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from docflow.outgoing.models import Document
from docflow.rules.workflow_definition import StepKind, definition_from_dict, definition_to_dict
from docflow.rules.workflow_state import DocState, Flow, Handoff, Signoff, Task, TaskOutcome, TaskStatus


def pid(person: str) -> int:
    return int(person)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def flow_json(flow: Flow) -> dict[str, Any]:
    return {
        "definition": definition_to_dict(flow.definition),
        "round": flow.round,
        "returned_from": flow.returned_from.value if flow.returned_from else None,
        "handoff": None if flow.handoff is None else {
            "sender": flow.handoff.sender, "by": flow.handoff.by, "from_step": flow.handoff.from_step.value,
            "round": flow.handoff.round,
        },
        "signoff": None if flow.signoff is None else {
            "signer": flow.signoff.signer, "by": flow.signoff.by, "at": flow.signoff.at.isoformat(),
            "opinion": flow.signoff.opinion,
        },
    }


class TaskColumns(Protocol):
    """A task as read: the mapped row, a plain result row of `document_tasks`, or a row of the action context's
    statement (`docflow.outgoing.context`), whose enums are plain strings."""

    task_no: int
    step: StepKind
    holder_id: int
    round: int
    created_at: datetime
    assigned_by_id: int | None
    due_at: datetime | None
    status: TaskStatus
    outcome: TaskOutcome | None
    opinion: str
    acted_by_id: int | None
    closed_at: datetime | None


def task_from_row(row: TaskColumns) -> Task:
    # The enums from their values: a row read by asyncpg directly carries plain strings.
    return Task(
        id=row.task_no, step=StepKind(row.step), holder=str(row.holder_id), round=row.round,
        created_at=row.created_at, assigned_by=str(row.assigned_by_id) if row.assigned_by_id else None,
        due_at=row.due_at, status=TaskStatus(row.status), outcome=TaskOutcome(row.outcome) if row.outcome else None,
        opinion=row.opinion,
        acted_by=str(row.acted_by_id) if row.acted_by_id else None, closed_at=row.closed_at,
    )


def flow_from_rows(document: Document, tasks: Sequence[TaskColumns]) -> Flow:
    data = document.flow
    handoff = data.get("handoff")
    signoff = data.get("signoff")
    return Flow(
        document_id=str(document.id),
        drafter=str(document.drafter_id),
        definition=definition_from_dict(data["definition"]),
        state=DocState(document.state),
        tasks=tuple(sorted((task_from_row(t) for t in tasks), key=lambda t: t.id)),
        round=int(data.get("round", 0)),
        returned_from=StepKind(data["returned_from"]) if data.get("returned_from") else None,
        handoff=None if not handoff else Handoff(handoff["sender"], handoff["by"], StepKind(handoff["from_step"]),
                                                 int(handoff["round"])),
        signoff=None if not signoff else Signoff(signoff["signer"], signoff["by"], _dt(signoff["at"]) or
                                                 document.created_at, signoff["opinion"]),
        doc_number=document.doc_number,
        sealed_at=document.sealed_at,
    )


def task_values(document_id: int, task: Task) -> dict[str, Any]:
    """The columns of a new task row, for a Core INSERT."""
    return {
        "document_id": document_id, "task_no": task.id, "step": task.step, "holder_id": pid(task.holder),
        "round": task.round, "created_at": task.created_at,
        "assigned_by_id": pid(task.assigned_by) if task.assigned_by else None, "due_at": task.due_at,
        "status": task.status, "outcome": task.outcome, "opinion": task.opinion,
        "acted_by_id": pid(task.acted_by) if task.acted_by else None, "closed_at": task.closed_at,
        "reminded_near_at": None, "reminded_overdue_at": None,
    }


def closed_values(task: Task) -> dict[str, Any]:
    return {
        "status": task.status, "outcome": task.outcome, "opinion": task.opinion, "closed_at": task.closed_at,
        "acted_by_id": pid(task.acted_by) if task.acted_by else None,
    }
