"""The workflow engine of outgoing documents: `apply(flow, actor, command, now) -> Outcome`.

A use case loads the `Flow` from rows, calls `apply`, then persists `Outcome.flow` (state
columns), `Outcome.task_changes` (insert CREATED; update CLOSED *where status = 'open'*, so two
concurrent approvals cannot both win), writes one audit row from `Outcome.record` and stores
`Outcome.events` for delivery after commit. Any refusal is an `IllegalMove` raised before
anything is returned, so nothing changes.

The table (`workflow_table.TRANSITIONS`) decides whether an action is possible in a state at all;
the handlers (`workflow_forward`, `workflow_backward`, `workflow_task_actions`) hold the guards:
- only the holder of an open task of the current step (or their delegate) acts on it;
- 会签 runs in parallel and completes by the definition's policy (all / any / quorum); pending
  countersigners are cancelled when it completes or when one of them returns the document;
- a 退回 that lands at or before 签发 voids the signature;
- the 发文字号 is recorded once, at 登记 after 签发, and kept when the step is re-entered;
- nothing changes after 用印.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from docflow.rules.delegation import Delegation
from docflow.rules.workflow_backward import cancel, resubmit, return_to, substantive_change, withdraw
from docflow.rules.workflow_commands import (
    AddCountersigners,
    Approve,
    AssignNumber,
    Cancel,
    Command,
    Dispatch,
    Edit,
    Resubmit,
    ReturnTo,
    Seal,
    Submit,
    SubstantiveChange,
    Transfer,
    Urge,
    Withdraw,
)
from docflow.rules.workflow_definition import Roster
from docflow.rules.workflow_forward import advance, assign_number, dispatch, seal
from docflow.rules.workflow_outcome import ActionRecord, Outcome, Work
from docflow.rules.workflow_state import Flow
from docflow.rules.workflow_table import Move, move_for
from docflow.rules.workflow_task_actions import add_countersigners, edit, transfer, urge

__all__ = ["Outcome", "apply"]


def apply(
    flow: Flow,
    actor: str,
    command: Command,
    now: datetime,
    *,
    roster: Roster | None = None,
    delegations: Sequence[Delegation] = (),
) -> Outcome:
    """Apply one user action to a flow; raise an `IllegalMove` subclass if the rules forbid it.

    `roster` maps role names to people (holder eligibility); `delegations` are the 委托 records,
    so a delegate may act on the delegator's tasks and is recorded as acting for them.
    """
    move = move_for(flow, command.action)
    work = Work(flow, actor, now, delegations)
    people = roster or {}
    match command:
        case Submit() | Approve():
            advance(work, command.opinion, command.next_holders, command.skip, people)
        case Seal():
            seal(work, command, people)
        case Dispatch():
            dispatch(work, command)
        case AssignNumber():
            assign_number(work, command)
        case ReturnTo():
            return_to(work, command)
        case Resubmit():
            resubmit(work, command)
        case Withdraw():
            withdraw(work, command)
        case SubstantiveChange():
            substantive_change(work, command)
        case Cancel():
            cancel(work, command)
        case Transfer():
            transfer(work, command, people)
        case AddCountersigners():
            add_countersigners(work, command, people)
        case Urge():
            urge(work, command)
        case Edit():
            edit(work, command)
    # The table's promise, checked on every call: STAY never moves the document.
    assert move is not Move.STAY or work.flow.state is flow.state, f"{command.action} must not change state"
    record = ActionRecord(command.action, actor, work.acting_for, flow.state, work.flow.state, now, work.note)
    return Outcome(work.flow, tuple(work.changes), tuple(work.events), record)
