"""Helpers of the engine that read a flow: who holds what, who may be assigned, what was traversed.

Kept apart from `workflow.py` so the engine reads as the list of actions; nothing here changes a flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from docflow.rules.delegation import Delegation, may_act_for
from docflow.rules.workflow_definition import Roster, StepKind
from docflow.rules.workflow_errors import (
    AlreadyActed,
    DrafterMayNotCountersign,
    HolderNotEligible,
    HolderRequired,
    NotTaskHolder,
)
from docflow.rules.workflow_state import Flow, Task, TaskOutcome

# Outcomes where the holder really handled the step (as opposed to losing the task to others).
ACTED = frozenset(
    {
        TaskOutcome.APPROVED,
        TaskOutcome.SUBMITTED,
        TaskOutcome.RETURNED,
        TaskOutcome.SENT_TO_SIGNER,
        TaskOutcome.SEALED,
        TaskOutcome.DISPATCHED,
    }
)
FORWARD = frozenset({TaskOutcome.APPROVED, TaskOutcome.SUBMITTED, TaskOutcome.SEALED})


def acting_task(flow: Flow, actor: str, delegations: Sequence[Delegation], now: datetime) -> Task:
    """The open task of the current step `actor` may act on (own first, then delegated to them)."""
    current = [task for task in flow.open_tasks if task.step == flow.step]
    for task in current:
        if task.holder == actor:
            return task
    for task in current:
        if may_act_for(actor, task.holder, delegations, now):
            return task
    step = flow.step
    acted_in_round = any(
        task.acted_by == actor and task.outcome in ACTED for task in flow.round_tasks() if not task.is_open
    )
    just_sent = flow.handoff is not None and flow.handoff.round == flow.round and flow.handoff.by == actor
    if acted_in_round or just_sent:
        raise AlreadyActed("您已办理过此环节，不能重复办理；文件已在后续环节或等待他人办理")
    raise NotTaskHolder(f"您不是“{step}”环节的当前办理人，不能办理此文件")


def check_assignable(flow: Flow, step: StepKind, person: str, roster: Roster) -> None:
    """Refuse a person the step may not be given to (the drafter at 会签 when forbidden, non-candidates)."""
    definition = flow.definition
    drafter_barred = not definition.step(step).drafter_may_countersign
    if step is StepKind.COUNTERSIGN and person == flow.drafter and drafter_barred:
        raise DrafterMayNotCountersign("本单位发文流程不允许拟稿人会签自己起草的文件；请另选会签人")
    candidates = definition.candidates(step, roster)
    if candidates is not None and person not in candidates:
        role = definition.step(step).role
        scope = f"（须为“{role}”或指定人员）" if role else "（须为指定人员）"
        raise HolderNotEligible(f"“{person}”不能办理“{step}”环节{scope}")


def holders_for(flow: Flow, step: StepKind, requested: Sequence[str], roster: Roster) -> tuple[str, ...]:
    """Holders of a step entered by a forward move: the sender's choice, checked, or the only candidate."""
    if step is StepKind.DRAFT:
        return (flow.drafter,)
    people = tuple(dict.fromkeys(person.strip() for person in requested if person.strip()))
    if not people:
        people = _default_holders(flow, step, roster)
    if not people:
        raise HolderRequired(f"请选择“{step}”环节的办理人")
    if step is not StepKind.COUNTERSIGN and len(people) > 1:
        raise HolderNotEligible(f"“{step}”环节只能交给一人办理；多人办理请使用会签")
    for person in people:
        check_assignable(flow, step, person, roster)
    return people


def _default_holders(flow: Flow, step: StepKind, roster: Roster) -> tuple[str, ...]:
    candidates = flow.definition.candidates(step, roster)
    if candidates is None:
        return ()
    if step is StepKind.COUNTERSIGN:
        # Fixed countersigning offices named in the definition all take part by default.
        allowed = flow.definition.step(step).drafter_may_countersign
        return tuple(sorted(person for person in candidates if allowed or person != flow.drafter))
    return (next(iter(candidates)),) if len(candidates) == 1 else ()


def previous_holders(flow: Flow, step: StepKind) -> tuple[str, ...]:
    """Who handled `step` the last time it was really handled (for 退回 and 直送 back to it).

    For 会签 that round's pending countersigners count too: a 退回 from inside 会签 cancels them (SUPERSEDED)
    before they could act, and going back to 会签 without them would let an "all" policy complete without
    their agreement. (Under "any" or a quorum, asking them again changes nothing the policy needs.)
    """
    if step is StepKind.DRAFT:
        return (flow.drafter,)
    counted = ACTED | {TaskOutcome.SUPERSEDED} if step is StepKind.COUNTERSIGN else ACTED
    rounds = sorted({task.round for task in flow.tasks if task.step == step}, reverse=True)
    for round_no in rounds:
        in_round = [task for task in flow.tasks if task.step == step and task.round == round_no]
        if not any(task.outcome in ACTED for task in in_round):
            continue  # withdrawn or transferred before anyone acted: not a round that was really handled
        return tuple(dict.fromkeys(task.holder for task in in_round if task.outcome in counted))
    return ()


def traversed_before(flow: Flow, step: StepKind) -> list[StepKind]:
    """Steps before `step` this document actually went through, in order (valid 退回 targets)."""
    position = flow.definition.position(step)
    done = {task.step for task in flow.tasks if task.outcome in FORWARD}
    return [s.kind for s in flow.definition.steps if flow.definition.position(s.kind) < position and s.kind in done]
