"""Forward moves of the workflow: 送审/同意 (with 会签 policies), 编号, 用印 and 核发."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from docflow.rules.doc_number import DocNumberError, parse_doc_number
from docflow.rules.workflow_commands import AssignNumber, Dispatch, Seal
from docflow.rules.workflow_definition import Roster, StepKind
from docflow.rules.workflow_errors import (
    AlreadyNumbered,
    InvalidDocNumber,
    NumberMissing,
    ReasonRequired,
    SkipNotAllowed,
)
from docflow.rules.workflow_events import Dispatched, Numbered, Sealed, SignedOff
from docflow.rules.workflow_outcome import Work
from docflow.rules.workflow_state import DocState, Handoff, Signoff, Task, TaskOutcome
from docflow.rules.workflow_steps import acting_task, holders_for


def countersign_complete(work: Work) -> bool:
    """Whether the 会签 round meets its policy now; if so, the still-pending countersigners are cancelled."""
    live = [t for t in work.flow.round_tasks() if t.outcome is not TaskOutcome.TRANSFERRED]
    approved = sum(1 for t in live if t.outcome is TaskOutcome.APPROVED)
    if not work.flow.definition.step(StepKind.COUNTERSIGN).policy.is_complete(approved, len(live)):
        return False
    work.cancel_open(TaskOutcome.SUPERSEDED)
    return True


def go_forward(work: Work, task: Task, step: StepKind, target: StepKind, holders: Sequence[str]) -> None:
    """Complete `step`, open `target`; the sender may 撤回 until one of the new holders acts."""
    work.step_completed(step)
    work.enter(target, holders)
    handoff = Handoff(sender=task.holder, by=work.actor, from_step=step, round=work.flow.round)
    work.flow = replace(work.flow, handoff=handoff, returned_from=None)


def record_signoff(work: Work, task: Task, opinion: str) -> None:
    """签发 records opinion, name and full date (条例 art. 19); a delegate signs for the holder."""
    signoff = Signoff(signer=task.holder, by=work.actor, at=work.now, opinion=opinion)
    work.flow = replace(work.flow, signoff=signoff)
    work.emit(
        SignedOff(
            document_id=work.flow.document_id,
            recipients=work.notify(work.flow.drafter),
            signer=task.holder,
            at=work.now,
        )
    )


def advance(work: Work, opinion: str, next_holders: Sequence[str], skip: frozenset[StepKind], roster: Roster) -> None:
    """送审 (from 拟稿) or 同意 at any human step before 用印."""
    step = work.current_step()
    definition = work.flow.definition
    for kind in skip:
        if not definition.has(kind) or not definition.step(kind).optional:
            raise SkipNotAllowed(f"“{kind}”不是本单位流程中的可选环节，不能跳过")
    if step is StepKind.REGISTER and work.flow.doc_number is None:
        raise NumberMissing("登记环节须先编发文字号，才能送往下一环节")
    task = acting_task(work.flow, work.actor, work.delegations, work.now)
    target = definition.following(step, skip)
    assert target is not None, "核发 finishes by DISPATCH, never by APPROVE"
    outcome = TaskOutcome.SUBMITTED if step is StepKind.DRAFT else TaskOutcome.APPROVED
    work.act_on(task, outcome, opinion)
    work.note = opinion
    if step is StepKind.SIGNOFF:
        record_signoff(work, task, opinion)
    if step is StepKind.COUNTERSIGN and not countersign_complete(work):
        return
    # Resolved only when the step really moves: a countersigner who is not last names nobody.
    holders = holders_for(work.flow, target, next_holders, roster)
    go_forward(work, task, step, target, holders)


def assign_number(work: Work, command: AssignNumber) -> None:
    """Record the 发文字号 the registrar took from the counter; the same number again is a no-op."""
    acting_task(work.flow, work.actor, work.delegations, work.now)
    try:
        number = str(parse_doc_number(command.doc_number))
    except DocNumberError as exc:
        raise InvalidDocNumber(exc.message) from exc
    if work.flow.doc_number == number:
        # Idempotent: a retried request, or 登记 re-entered after a change, keeps the number it has.
        return
    if work.flow.doc_number is not None:
        raise AlreadyNumbered(f"本文件已编号为 {work.flow.doc_number}，不能改编为 {number}；如需作废原号请走作废登记")
    work.flow = replace(work.flow, doc_number=number)
    work.note = number
    work.emit(Numbered(document_id=work.flow.document_id, recipients=work.notify(work.flow.drafter), doc_number=number))


def seal(work: Work, command: Seal, roster: Roster) -> None:
    """用印: after this the content is final; 核发 follows."""
    if not command.seal_id.strip():
        raise ReasonRequired("用印须指明所用印章")
    task = acting_task(work.flow, work.actor, work.delegations, work.now)
    target = work.flow.definition.following(StepKind.SEAL)
    assert target is StepKind.DISPATCH, "用印 is always followed by 核发"
    holders = holders_for(work.flow, target, command.next_holders, roster)
    work.act_on(task, TaskOutcome.SEALED)
    work.flow = replace(work.flow, sealed_at=work.now)
    work.note = command.seal_id
    work.emit(
        Sealed(
            document_id=work.flow.document_id,
            recipients=work.notify(work.flow.drafter),
            seal_id=command.seal_id,
            at=work.now,
        )
    )
    go_forward(work, task, StepKind.SEAL, target, holders)


def dispatch(work: Work, command: Dispatch) -> None:
    """核发: the flow ends; distribution to 主送/抄送 is the use case's next job."""
    task = acting_task(work.flow, work.actor, work.delegations, work.now)
    work.act_on(task, TaskOutcome.DISPATCHED, command.opinion)
    work.flow = replace(work.flow, state=DocState.DISPATCHED, handoff=None, returned_from=None)
    work.note = command.opinion
    signer = () if work.flow.signoff is None else (work.flow.signoff.signer,)
    work.emit(
        Dispatched(document_id=work.flow.document_id, recipients=work.notify(work.flow.drafter, *signer), at=work.now)
    )
