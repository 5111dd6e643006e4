"""Actions that leave the document where it is: 转交, 加签, 催办 and saving an edit."""

from __future__ import annotations

from docflow.rules.workflow_commands import AddCountersigners, Edit, Transfer, Urge
from docflow.rules.workflow_definition import Roster, StepKind
from docflow.rules.workflow_errors import (
    AlreadyActed,
    HolderNotEligible,
    HolderRequired,
    NotAllowedToUrge,
    NotTaskHolder,
    SubstantiveChangeNeedsSignoff,
)
from docflow.rules.workflow_events import Edited, TaskTransferred, Urged
from docflow.rules.workflow_outcome import Work
from docflow.rules.workflow_state import SIGNED_STATES, TaskOutcome, TaskStatus, due_at
from docflow.rules.workflow_steps import ACTED, acting_task, check_assignable


def _already_in_round(work: Work, person: str) -> bool:
    """Whether `person` holds, or has handled, a task of the current round (no double countersigning)."""
    return any(task.holder == person and (task.is_open or task.outcome in ACTED) for task in work.flow.round_tasks())


def transfer(work: Work, command: Transfer, roster: Roster) -> None:
    """转交: the task goes to a colleague, same step, same round, same deadline."""
    task = acting_task(work.flow, work.actor, work.delegations, work.now)
    to = command.to.strip()
    if not to or to in (task.holder, work.actor):
        raise HolderRequired("请选择要转交的同事（不能转交给自己）")
    check_assignable(work.flow, task.step, to, roster)
    if task.step is StepKind.COUNTERSIGN and _already_in_round(work, to):
        raise HolderNotEligible(f"“{to}”已是本轮会签人，不能重复会签")
    work.close(task, TaskStatus.CANCELLED, TaskOutcome.TRANSFERRED, by=work.actor, opinion=command.reason)
    if task.holder != work.actor:
        work.acting_for = task.holder
    new_task = work.create(task.step, to, task.round, task.due_at)
    work.note = command.reason
    work.emit(
        TaskTransferred(
            document_id=work.flow.document_id,
            recipients=work.notify(to, task.holder, work.flow.drafter),
            task_id=task.id,
            new_task_id=new_task.id,
            step=task.step,
            from_holder=task.holder,
            to_holder=to,
            reason=command.reason,
        )
    )


def add_countersigners(work: Work, command: AddCountersigners, roster: Roster) -> None:
    """加签 while 会签 is open: by a current countersigner, the one who opened 会签, or the drafter."""
    handoff = work.flow.handoff
    opener = handoff.sender if handoff is not None and handoff.round == work.flow.round else None
    holds_one = any(task.holder == work.actor for task in work.flow.open_tasks)
    if not (holds_one or work.actor in (opener, work.flow.drafter)):
        raise NotTaskHolder("只有会签人、发起会签的人或拟稿人可以加签")
    people = tuple(dict.fromkeys(p.strip() for p in command.people if p.strip()))
    if not people:
        raise HolderRequired("请选择要加签的会签人")
    for person in people:
        check_assignable(work.flow, StepKind.COUNTERSIGN, person, roster)
        if _already_in_round(work, person):
            raise HolderNotEligible(f"“{person}”已是本轮会签人")
    due = due_at(work.flow.definition, StepKind.COUNTERSIGN, work.now)
    for person in people:
        work.create(StepKind.COUNTERSIGN, person, work.flow.round, due)
    work.note = "、".join(people)


def urge(work: Work, command: Urge) -> None:
    """催办: the drafter or anyone who already handled the document reminds the current holders."""
    open_tasks = work.flow.open_tasks
    participant = work.actor == work.flow.drafter or any(
        task.acted_by == work.actor or (task.holder == work.actor and task.outcome in ACTED) for task in work.flow.tasks
    )
    if not participant:
        raise NotAllowedToUrge("只有拟稿人或已办理过本文件的人可以催办")
    targets = [task for task in open_tasks if task.holder != work.actor]
    if not targets:
        raise NotAllowedToUrge("当前没有需要催办的他人待办")
    work.note = command.message
    work.emit(
        Urged(
            document_id=work.flow.document_id,
            recipients=work.notify(*(task.holder for task in targets)),
            by=work.actor,
            message=command.message,
            task_ids=tuple(task.id for task in targets),
        )
    )


def edit(work: Work, command: Edit) -> None:
    """Saving a version: only the current holder edits (痕迹保留 is the version store's job)."""
    if command.substantive and work.flow.state in SIGNED_STATES:
        raise SubstantiveChangeNeedsSignoff("文件已签发，实质性修改须退回签发人重新签发；请使用“实质性修改”")
    try:
        task = acting_task(work.flow, work.actor, work.delegations, work.now)
    except AlreadyActed:
        # Having sent it on is no right to edit: only the current holder may (撤回 first if needed).
        raise NotTaskHolder("文件已送出，只有当前办理人可以修改；如需修改请先撤回") from None
    if task.holder != work.actor:
        work.acting_for = task.holder
    work.note = command.summary
    work.emit(
        Edited(
            document_id=work.flow.document_id,
            recipients=work.notify(work.flow.drafter),
            by=work.actor,
            summary=command.summary,
        )
    )
