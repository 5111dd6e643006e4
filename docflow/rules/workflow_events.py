"""Events the workflow records for notification. Plain frozen dataclasses naming their recipients
(person ids); the use case stores them in the same transaction and emits them after commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from docflow.rules.workflow_definition import StepKind
from docflow.rules.workflow_state import TaskOutcome


@dataclass(frozen=True, kw_only=True)
class Event:
    document_id: str
    recipients: tuple[str, ...]

    @property
    def kind(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, kw_only=True)
class NewTask(Event):
    task_id: int
    step: StepKind
    holder: str
    due_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class TaskWithdrawn(Event):
    """撤回: the sender took the document back before this holder acted."""

    task_id: int
    step: StepKind
    by: str


@dataclass(frozen=True, kw_only=True)
class TaskCancelled(Event):
    """A pending task is no longer needed (退回 from inside 会签, policy met, document 撤销)."""

    task_id: int
    step: StepKind
    outcome: TaskOutcome


@dataclass(frozen=True, kw_only=True)
class TaskTransferred(Event):
    task_id: int
    new_task_id: int
    step: StepKind
    from_holder: str
    to_holder: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Returned(Event):
    from_step: StepKind
    to_step: StepKind
    by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ResignRequired(Event):
    """A substantive change after 签发 sends the document back to the signer."""

    from_step: StepKind
    by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Urged(Event):
    by: str
    message: str
    task_ids: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class Overdue(Event):
    task_id: int
    step: StepKind
    holder: str
    due_at: datetime


@dataclass(frozen=True, kw_only=True)
class NearDeadline(Event):
    task_id: int
    step: StepKind
    holder: str
    due_at: datetime


@dataclass(frozen=True, kw_only=True)
class StepCompleted(Event):
    step: StepKind
    by: str


@dataclass(frozen=True, kw_only=True)
class SignedOff(Event):
    signer: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class Numbered(Event):
    doc_number: str


@dataclass(frozen=True, kw_only=True)
class Sealed(Event):
    seal_id: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class Dispatched(Event):
    at: datetime


@dataclass(frozen=True, kw_only=True)
class Edited(Event):
    by: str
    summary: str


@dataclass(frozen=True, kw_only=True)
class DocumentWithdrawn(Event):
    """撤销: the drafter abandoned the whole document."""

    by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class NumberVoided(Event):
    """A numbered document was abandoned: its 发文字号 must be recorded as voided, never reused silently."""

    doc_number: str
