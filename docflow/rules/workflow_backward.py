"""Backward moves: 退回 (three forms), 直送 back, 撤回, the substantive change after 签发, and 撤销.

Common rule: a move that lands at or before 签发 voids the signature (the signer must sign what
is now different), and a return that crosses 签发 from behind makes 签发 the step to come straight
back to, so a document can never skip re-signing on its way back to 登记.
"""

from __future__ import annotations

from dataclasses import replace

from docflow.rules.delegation import may_act_for
from docflow.rules.workflow_commands import (
    Cancel,
    Resubmit,
    ReturnTarget,
    ReturnTo,
    SubstantiveChange,
    Withdraw,
)
from docflow.rules.workflow_definition import StepKind
from docflow.rules.workflow_errors import (
    HolderRequired,
    InvalidReturnTarget,
    NothingToResubmit,
    NotTheDrafter,
    NotTheSender,
    ReasonRequired,
    TooLateToWithdraw,
)
from docflow.rules.workflow_events import DocumentWithdrawn, NumberVoided, ResignRequired, Returned
from docflow.rules.workflow_forward import go_forward, record_signoff
from docflow.rules.workflow_outcome import Work
from docflow.rules.workflow_state import DocState, TaskOutcome
from docflow.rules.workflow_steps import acting_task, previous_holders, traversed_before


def _position(work: Work, step: StepKind) -> int:
    return work.flow.definition.position(step)


def _void_signoff_if_reached(work: Work, target: StepKind) -> None:
    if _position(work, target) <= _position(work, StepKind.SIGNOFF):
        work.flow = replace(work.flow, signoff=None)


def _return_target(work: Work, command: ReturnTo, current: StepKind) -> StepKind:
    earlier = traversed_before(work.flow, current)
    if command.target is ReturnTarget.DRAFTER:
        return StepKind.DRAFT
    if command.target is ReturnTarget.PREVIOUS:
        if not earlier:
            raise InvalidReturnTarget("没有可退回的上一环节")
        return earlier[-1]
    if command.step is None:
        raise InvalidReturnTarget("退回到指定环节时须指明环节")
    if command.step not in earlier:
        names = "、".join(earlier) or "无"
        raise InvalidReturnTarget(f"只能退回到本文件已经过的前序环节（{names}），不能退回到“{command.step}”")
    return command.step


def return_to(work: Work, command: ReturnTo) -> None:
    """退回 with a reason; pending co-holders (other countersigners) are cancelled."""
    if not command.reason.strip():
        raise ReasonRequired("退回须填写理由，以便对方修改")
    current = work.current_step()
    target = _return_target(work, command, current)
    holders = previous_holders(work.flow, target)
    if not holders:
        raise HolderRequired(f"找不到“{target}”环节的原办理人，请改为退回其他环节")
    task = acting_task(work.flow, work.actor, work.delegations, work.now)
    work.act_on(task, TaskOutcome.RETURNED, command.reason)
    work.cancel_open(TaskOutcome.SUPERSEDED)
    signoff_pos = _position(work, StepKind.SIGNOFF)
    crosses_signoff = _position(work, current) > signoff_pos > _position(work, target)
    come_back_to = StepKind.SIGNOFF if crosses_signoff else current
    _void_signoff_if_reached(work, target)
    work.enter(target, holders)
    work.flow = replace(work.flow, returned_from=come_back_to, handoff=None)
    work.note = command.reason
    work.emit(
        Returned(
            document_id=work.flow.document_id,
            recipients=work.notify(*holders, work.flow.drafter),
            from_step=current,
            to_step=target,
            by=work.actor,
            reason=command.reason,
        )
    )


def resubmit(work: Work, command: Resubmit) -> None:
    """直送: send the corrected document straight back to the step (and people) that returned it."""
    target = work.flow.returned_from
    current = work.current_step()
    if target is None or _position(work, target) <= _position(work, current):
        raise NothingToResubmit("本文件不是退回件，请按正常流程送往下一环节")
    task = acting_task(work.flow, work.actor, work.delegations, work.now)
    holders = previous_holders(work.flow, target)
    if not holders:
        raise HolderRequired(f"找不到退回环节“{target}”的原办理人，请按正常流程送出")
    outcome = TaskOutcome.SUBMITTED if current is StepKind.DRAFT else TaskOutcome.APPROVED
    work.act_on(task, outcome, command.opinion)
    work.note = command.opinion
    if current is StepKind.SIGNOFF:
        record_signoff(work, task, command.opinion)
    go_forward(work, task, current, target, holders)


def withdraw(work: Work, command: Withdraw) -> None:
    """撤回: the sender takes the document back while every new task is still untouched."""
    handoff = work.flow.handoff
    if handoff is None or handoff.round != work.flow.round:
        raise NotTheSender("本文件当前环节不是由您送来的，不能撤回")
    if not may_act_for(work.actor, handoff.sender, work.delegations, work.now) and work.actor != handoff.by:
        raise NotTheSender("只有送出本文件的人可以撤回")
    if any(not task.is_open for task in work.flow.round_tasks()):
        raise TooLateToWithdraw("下一环节已有人办理（或转交），不能撤回；如需修改请联系当前办理人退回")
    work.cancel_open(TaskOutcome.WITHDRAWN)
    _void_signoff_if_reached(work, handoff.from_step)
    work.enter(handoff.from_step, (handoff.sender,))
    if handoff.sender != work.actor:
        work.acting_for = handoff.sender
    work.flow = replace(work.flow, handoff=None)
    work.note = command.reason


def substantive_change(work: Work, command: SubstantiveChange) -> None:
    """A change of substance after 签发 (条例 art. 25): back to the signer, who may send it straight back."""
    if not command.reason.strip():
        raise ReasonRequired("请说明实质性修改的内容，签发人将据此重新签发")
    signoff = work.flow.signoff
    assert signoff is not None, "states after 签发 always carry the signature"
    current = work.current_step()
    task = acting_task(work.flow, work.actor, work.delegations, work.now)
    work.act_on(task, TaskOutcome.SENT_TO_SIGNER, command.reason)
    work.cancel_open(TaskOutcome.SUPERSEDED)
    work.flow = replace(work.flow, signoff=None)
    work.enter(StepKind.SIGNOFF, (signoff.signer,))
    work.flow = replace(work.flow, returned_from=current, handoff=None)
    work.note = command.reason
    work.emit(
        ResignRequired(
            document_id=work.flow.document_id,
            recipients=work.notify(signoff.signer, work.flow.drafter),
            from_step=current,
            by=work.actor,
            reason=command.reason,
        )
    )


def cancel(work: Work, command: Cancel) -> None:
    """撤销: only the drafter abandons a document, and only before it is signed off."""
    if work.actor != work.flow.drafter:
        raise NotTheDrafter("只有拟稿人可以撤销本文件")
    if not command.reason.strip():
        raise ReasonRequired("撤销文件须填写理由")
    cancelled = work.cancel_open(TaskOutcome.ABANDONED)
    work.flow = replace(work.flow, state=DocState.WITHDRAWN, handoff=None, returned_from=None)
    work.note = command.reason
    holders = [task.holder for task in cancelled]
    work.emit(
        DocumentWithdrawn(
            document_id=work.flow.document_id,
            recipients=work.notify(*holders),
            by=work.actor,
            reason=command.reason,
        )
    )
    if work.flow.doc_number is not None:
        # Possible after a return from beyond 登记 to the drafter: the number keeps existing, as voided.
        registrars = previous_holders(work.flow, StepKind.REGISTER)
        work.emit(
            NumberVoided(
                document_id=work.flow.document_id,
                recipients=work.notify(*registrars),
                doc_number=work.flow.doc_number,
            )
        )
