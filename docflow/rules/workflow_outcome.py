"""What one workflow action produces (`Outcome`) and the scratch pad the engine fills while acting.

`Work` is mutable on purpose but never escapes `workflow.apply`: each handler records closed and
created tasks and events on it, and `apply` freezes the result into an `Outcome`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from docflow.rules.delegation import Delegation, notify_targets
from docflow.rules.workflow_commands import Action
from docflow.rules.workflow_definition import StepKind
from docflow.rules.workflow_events import Event, NewTask, StepCompleted, TaskCancelled, TaskWithdrawn
from docflow.rules.workflow_state import STATE_OF_STEP, DocState, Flow, Task, TaskOutcome, TaskStatus, due_at


class ChangeKind(StrEnum):
    CREATED = "created"
    CLOSED = "closed"


@dataclass(frozen=True)
class TaskChange:
    kind: ChangeKind
    task: Task


@dataclass(frozen=True)
class ActionRecord:
    """What the audit row needs: who (and for whom), what, from which state to which, why."""

    action: Action
    actor: str
    acting_for: str | None
    from_state: DocState
    to_state: DocState
    at: datetime
    note: str


@dataclass(frozen=True)
class Outcome:
    flow: Flow
    task_changes: tuple[TaskChange, ...]
    events: tuple[Event, ...]
    record: ActionRecord


@dataclass
class Work:
    """The changes one action accumulates; turned into an immutable Outcome at the end."""

    flow: Flow
    actor: str
    now: datetime
    delegations: Sequence[Delegation]
    changes: list[TaskChange] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    acting_for: str | None = None
    note: str = ""

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def notify(self, *people: str) -> tuple[str, ...]:
        """Recipients: the people plus their delegates, without the actor (who knows already)."""
        targets: list[str] = []
        for person in people:
            targets.extend(notify_targets(person, self.delegations, self.now))
        return tuple(p for p in dict.fromkeys(targets) if p != self.actor)

    def act_on(self, task: Task, outcome: TaskOutcome, opinion: str = "") -> Task:
        """Close the actor's own task as done, recording a delegate as acting for the holder."""
        if task.holder != self.actor:
            self.acting_for = task.holder
        return self.close(task, TaskStatus.DONE, outcome, by=self.actor, opinion=opinion)

    def close(self, task: Task, status: TaskStatus, outcome: TaskOutcome, *, by: str | None, opinion: str = "") -> Task:
        closed = task.close(status, outcome, self.now, by=by, opinion=opinion)
        tasks = tuple(closed if t.id == task.id else t for t in self.flow.tasks)
        self.flow = replace(self.flow, tasks=tasks)
        self.changes.append(TaskChange(ChangeKind.CLOSED, closed))
        return closed

    def cancel_open(self, outcome: TaskOutcome) -> list[Task]:
        """Cancel every task still open (pending countersigners, the rest of a withdrawn round)."""
        cancelled = [self.close(t, TaskStatus.CANCELLED, outcome, by=None) for t in self.flow.open_tasks]
        for task in cancelled:
            if outcome is TaskOutcome.WITHDRAWN:
                self.emit(
                    TaskWithdrawn(
                        document_id=self.flow.document_id,
                        recipients=self.notify(task.holder),
                        task_id=task.id,
                        step=task.step,
                        by=self.actor,
                    )
                )
            else:
                self.emit(
                    TaskCancelled(
                        document_id=self.flow.document_id,
                        recipients=self.notify(task.holder),
                        task_id=task.id,
                        step=task.step,
                        outcome=outcome,
                    )
                )
        return cancelled

    def create(self, step: StepKind, holder: str, round_no: int, due: datetime | None) -> Task:
        task = Task(self.flow.next_task_id, step, holder, round_no, self.now, assigned_by=self.actor, due_at=due)
        self.flow = replace(self.flow, tasks=(*self.flow.tasks, task))
        self.changes.append(TaskChange(ChangeKind.CREATED, task))
        recipients = tuple(notify_targets(holder, self.delegations, self.now))
        self.emit(
            NewTask(
                document_id=self.flow.document_id,
                recipients=recipients,
                task_id=task.id,
                step=step,
                holder=holder,
                due_at=due,
            )
        )
        return task

    def enter(self, step: StepKind, holders: Sequence[str]) -> None:
        """Open a new round of `step` with one task per holder."""
        round_no = self.flow.round + 1
        self.flow = replace(self.flow, state=STATE_OF_STEP[step], round=round_no)
        due = due_at(self.flow.definition, step, self.now)
        for holder in holders:
            self.create(step, holder, round_no, due)

    def step_completed(self, step: StepKind) -> None:
        self.emit(
            StepCompleted(
                document_id=self.flow.document_id,
                recipients=self.notify(self.flow.drafter),
                step=step,
                by=self.actor,
            )
        )

    def current_step(self) -> StepKind:
        step = self.flow.step
        assert step is not None, "the transition table only admits these actions in states that have a step"
        return step
