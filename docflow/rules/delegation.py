"""委托: a person's tasks go to a delegate for a period. Pure resolution, no storage.

A task keeps its assigned `holder`; who may act on it is resolved at the moment of acting, so a
delegation that starts or ends later moves existing tasks too (that is what users expect from
"while I am away"). The delegate is recorded as acting for the delegator (`Task.acted_by`).
The holder can always still act personally, e.g. when back early.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from docflow.rules.workflow_state import Task


class DelegationError(ValueError):
    """A delegation that cannot be recorded (to oneself, empty period)."""


@dataclass(frozen=True)
class Delegation:
    """`delegator`'s work goes to `delegate` from `starts_at` (inclusive) to `ends_at` (exclusive)."""

    delegator: str
    delegate: str
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if self.delegator == self.delegate:
            raise DelegationError("不能委托给自己")
        if self.ends_at <= self.starts_at:
            raise DelegationError("委托的结束时间必须晚于开始时间")

    def active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


def effective_holder(person: str, delegations: Iterable[Delegation], now: datetime) -> str:
    """Who actually handles `person`'s work now, following chains (A→B while B→C gives C).

    A cycle (A→B, B→A both active) would leave nobody; it resolves to `person` itself so work is
    never lost. When one person has several active delegations, the latest-starting one wins.
    """
    active: dict[str, Delegation] = {}
    for delegation in delegations:
        if not delegation.active(now):
            continue
        current = active.get(delegation.delegator)
        if current is None or delegation.starts_at > current.starts_at:
            active[delegation.delegator] = delegation
    seen = {person}
    holder = person
    while holder in active:
        holder = active[holder].delegate
        if holder in seen:
            return person
        seen.add(holder)
    return holder


def may_act_for(actor: str, holder: str, delegations: Sequence[Delegation], now: datetime) -> bool:
    """True when `actor` is the holder or the holder's effective delegate right now."""
    return actor == holder or effective_holder(holder, delegations, now) == actor


def notify_targets(holder: str, delegations: Sequence[Delegation], now: datetime) -> tuple[str, ...]:
    """Recipients for news about `holder`'s task: the holder and, when delegated, the delegate."""
    delegate = effective_holder(holder, delegations, now)
    return (holder,) if delegate == holder else (holder, delegate)


def tasks_visible_to(
    person: str, tasks: Iterable[Task], delegations: Sequence[Delegation], now: datetime
) -> list[Task]:
    """Open tasks `person` may act on now: their own plus those delegated to them (待办 with 委托)."""
    return [task for task in tasks if task.is_open and may_act_for(person, task.holder, delegations, now)]
