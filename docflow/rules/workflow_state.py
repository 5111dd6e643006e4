"""The state of one document's flow: `DocState`, its tasks and the facts the guards need.

A `Flow` is what a use case loads from rows (the document's status columns plus its task rows) and
what `workflow.apply` returns, changed. It is immutable; every change is a new value, so a use case
can diff old and new or simply persist what `Outcome.task_changes` lists.

Tasks are numbered per document (`Task.id` = 1, 2, …) so the pure core can create them without a
database; the lead stores them with a unique (document, id) key. A *round* is one entry into a
step: every task created by that entry (including 加签 and 转交) carries the round number, and
会签 completion counts only the tasks of the current round.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from docflow.rules.workflow_definition import StepKind, WorkflowDefinition


class DocState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    COUNTERSIGNING = "countersigning"
    AWAITING_SIGNOFF = "awaiting_signoff"
    RECHECK = "recheck"
    REGISTERING = "registering"
    SEALING = "sealing"
    DISPATCHING = "dispatching"
    DISPATCHED = "dispatched"
    WITHDRAWN = "withdrawn"  # 撤销: the drafter abandoned the document; terminal


STATE_OF_STEP: dict[StepKind, DocState] = {
    StepKind.DRAFT: DocState.DRAFT,
    StepKind.REVIEW: DocState.IN_REVIEW,
    StepKind.COUNTERSIGN: DocState.COUNTERSIGNING,
    StepKind.SIGNOFF: DocState.AWAITING_SIGNOFF,
    StepKind.RECHECK: DocState.RECHECK,
    StepKind.REGISTER: DocState.REGISTERING,
    StepKind.SEAL: DocState.SEALING,
    StepKind.DISPATCH: DocState.DISPATCHING,
}
STEP_OF_STATE: dict[DocState, StepKind] = {state: step for step, state in STATE_OF_STEP.items()}
TERMINAL_STATES = frozenset({DocState.DISPATCHED, DocState.WITHDRAWN})
# After 签发 the content is approved; a substantive change must go back to the signer.
SIGNED_STATES = frozenset({DocState.RECHECK, DocState.REGISTERING, DocState.SEALING, DocState.DISPATCHING})


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class TaskOutcome(StrEnum):
    """How a closed task ended; the audit trail and 已办 list show it."""

    APPROVED = "approved"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # this holder sent it back (退回)
    SENT_TO_SIGNER = "sent_to_signer"  # substantive change after 签发
    SEALED = "sealed"
    DISPATCHED = "dispatched"
    TRANSFERRED = "transferred"  # 转交: the task went to a colleague
    WITHDRAWN = "withdrawn"  # 撤回 by the sender before this holder acted
    SUPERSEDED = "superseded"  # cancelled because the step was returned or completed by others
    ABANDONED = "abandoned"  # the document was withdrawn as a whole (撤销)


@dataclass(frozen=True)
class Task:
    """One person's piece of work at one step. `holder` is whom it was assigned to; when a delegate
    acts, `acted_by` records the delegate and `holder` stays the delegator (acting for them)."""

    id: int
    step: StepKind
    holder: str
    round: int
    created_at: datetime
    assigned_by: str | None = None
    due_at: datetime | None = None
    status: TaskStatus = TaskStatus.OPEN
    outcome: TaskOutcome | None = None
    opinion: str = ""
    acted_by: str | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is TaskStatus.OPEN

    def close(
        self,
        status: TaskStatus,
        outcome: TaskOutcome,
        at: datetime,
        *,
        by: str | None = None,
        opinion: str = "",
    ) -> Task:
        return replace(self, status=status, outcome=outcome, closed_at=at, acted_by=by, opinion=opinion)


@dataclass(frozen=True)
class Signoff:
    """签发: the signer's opinion, name and full date (条例 art. 19); `by` acted for `signer` if delegated."""

    signer: str
    by: str
    at: datetime
    opinion: str


@dataclass(frozen=True)
class Handoff:
    """The last forward move: who sent the document from which step, opening which round.

    撤回 is allowed to `sender` only while every task of `round` is still open and untouched.
    """

    sender: str  # holder of the task that was completed
    by: str  # who actually acted (the sender or their delegate)
    from_step: StepKind
    round: int


@dataclass(frozen=True)
class Flow:
    document_id: str
    drafter: str
    definition: WorkflowDefinition
    state: DocState
    tasks: tuple[Task, ...] = ()
    round: int = 0
    returned_from: StepKind | None = None  # set by 退回, enables 直送 (resubmit straight back)
    handoff: Handoff | None = None
    signoff: Signoff | None = None
    doc_number: str | None = None
    sealed_at: datetime | None = None

    @property
    def step(self) -> StepKind | None:
        return STEP_OF_STATE.get(self.state)

    @property
    def open_tasks(self) -> tuple[Task, ...]:
        return tuple(task for task in self.tasks if task.is_open)

    def round_tasks(self, round_no: int | None = None) -> tuple[Task, ...]:
        wanted = self.round if round_no is None else round_no
        return tuple(task for task in self.tasks if task.round == wanted)

    def task(self, task_id: int) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    @property
    def next_task_id(self) -> int:
        return max((task.id for task in self.tasks), default=0) + 1


def due_at(definition: WorkflowDefinition, step: StepKind, created: datetime) -> datetime | None:
    hours = definition.step(step).deadline_hours
    return None if hours is None else created + timedelta(hours=hours)


def start_flow(document_id: str, drafter: str, definition: WorkflowDefinition, now: datetime) -> Flow:
    """A new draft: state DRAFT with one open 拟稿 task for the drafter (it shows in 待办 and 我的草稿)."""
    task = Task(1, StepKind.DRAFT, drafter, 1, now, due_at=due_at(definition, StepKind.DRAFT, now))
    return Flow(document_id, drafter, definition, DocState.DRAFT, (task,), round=1)
