"""Deadlines per step: which open tasks are overdue or close to their deadline, and the reminders.

Pure: the scheduler (a later job) calls `reminders(flow, now, …)` periodically and stores the
events; to avoid reminding twice it passes the task ids it already reminded about.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta

from docflow.rules.delegation import Delegation, notify_targets
from docflow.rules.workflow_events import Event, NearDeadline, Overdue
from docflow.rules.workflow_state import Flow, Task

DEFAULT_WARNING = timedelta(hours=4)


def overdue_tasks(tasks: Iterable[Task], now: datetime) -> list[Task]:
    """Open tasks whose deadline has passed, most overdue first."""
    late = [task for task in tasks if task.is_open and task.due_at is not None and task.due_at <= now]
    return sorted(late, key=lambda task: (task.due_at, task.id))


def near_deadline_tasks(tasks: Iterable[Task], now: datetime, within: timedelta = DEFAULT_WARNING) -> list[Task]:
    """Open tasks due within `within` from now but not yet overdue, soonest first."""
    soon = [task for task in tasks if task.is_open and task.due_at is not None and now < task.due_at <= now + within]
    return sorted(soon, key=lambda task: (task.due_at, task.id))


def time_left(task: Task, now: datetime) -> timedelta | None:
    """Remaining time (negative when overdue); None when the step has no deadline."""
    return None if task.due_at is None else task.due_at - now


def reminders(
    flow: Flow,
    now: datetime,
    *,
    delegations: Sequence[Delegation] = (),
    already_reminded: Collection[int] = (),
    within: timedelta = DEFAULT_WARNING,
) -> list[Event]:
    """Overdue (to the holder, their delegate and the drafter) and near-deadline (to the holder) events."""
    events: list[Event] = []
    for task in overdue_tasks(flow.tasks, now):
        if task.id in already_reminded or task.due_at is None:
            continue
        recipients = (*notify_targets(task.holder, delegations, now), flow.drafter)
        events.append(
            Overdue(
                document_id=flow.document_id,
                recipients=tuple(dict.fromkeys(recipients)),
                task_id=task.id,
                step=task.step,
                holder=task.holder,
                due_at=task.due_at,
            )
        )
    for task in near_deadline_tasks(flow.tasks, now, within):
        if task.id in already_reminded or task.due_at is None:
            continue
        events.append(
            NearDeadline(
                document_id=flow.document_id,
                recipients=notify_targets(task.holder, delegations, now),
                task_id=task.id,
                step=task.step,
                holder=task.holder,
                due_at=task.due_at,
            )
        )
    return events
