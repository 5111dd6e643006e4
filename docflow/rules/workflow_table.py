"""The transition table of outgoing documents: `(DocState, Action) -> Move`.

A `Move` says where the document goes; the concrete step for NEXT/BACK/… depends on the unit's
definition and the flow's history and is resolved by `workflow.apply`. A pair missing from the
table is refused before any guard runs, with the most specific error the situation has (numbering
before 签发, editing after 用印, …). The whole table is tested pair by pair.
"""

from __future__ import annotations

from enum import StrEnum

from docflow.rules.workflow_commands import Action
from docflow.rules.workflow_errors import (
    ActionNotAllowed,
    AlreadyNumbered,
    EditAfterSealing,
    IllegalMove,
    NumberingBeforeSignoff,
)
from docflow.rules.workflow_state import DocState, Flow

S = DocState
A = Action


class Move(StrEnum):
    STAY = "stay"  # same state (opinion-free actions, 加签, 转交, numbering, …)
    ADVANCE = "advance"  # to the next step once the current step is complete
    BACK = "back"  # 退回 to an earlier step
    STRAIGHT_BACK = "straight_back"  # 直送 to the step that returned it
    TO_SENDER = "to_sender"  # 撤回: back to the sender's step
    TO_SIGNER = "to_signer"  # substantive change after 签发
    FINISH = "finish"  # 核发 done → DISPATCHED
    ABANDON = "abandon"  # 撤销 → WITHDRAWN


_HUMAN_STEPS = (S.IN_REVIEW, S.COUNTERSIGNING, S.AWAITING_SIGNOFF, S.RECHECK, S.REGISTERING, S.SEALING)
# No 直送 from 会签 (it completes by its policy first) or from 用印 (nothing after it can return).
_NOT_RESUBMITTABLE = (S.COUNTERSIGNING, S.SEALING)
_BEFORE_SIGNOFF = (S.DRAFT, S.IN_REVIEW, S.COUNTERSIGNING, S.AWAITING_SIGNOFF)

TRANSITIONS: dict[tuple[DocState, Action], Move] = {
    (S.DRAFT, A.SUBMIT): Move.ADVANCE,
    # 用印 and 核发 have their own actions (SEAL, DISPATCH) because they do more than approve.
    **{(s, A.APPROVE): Move.ADVANCE for s in _HUMAN_STEPS if s is not S.SEALING},
    (S.SEALING, A.SEAL): Move.ADVANCE,
    (S.DISPATCHING, A.DISPATCH): Move.FINISH,
    **{(s, A.RETURN): Move.BACK for s in _HUMAN_STEPS},
    **{(s, A.RESUBMIT): Move.STRAIGHT_BACK for s in (S.DRAFT, *_HUMAN_STEPS) if s not in _NOT_RESUBMITTABLE},
    # After 用印 nothing can be taken back: the seal covers the final form.
    **{(s, A.WITHDRAW): Move.TO_SENDER for s in _HUMAN_STEPS},
    **{(s, A.TRANSFER): Move.STAY for s in (*_HUMAN_STEPS, S.DISPATCHING)},
    (S.COUNTERSIGNING, A.ADD_COUNTERSIGNER): Move.STAY,
    **{(s, A.URGE): Move.STAY for s in (S.DRAFT, *_HUMAN_STEPS, S.DISPATCHING)},
    # Editing stops at 用印: in SEALING the seal is not applied yet, after it the content is final.
    **{(s, A.EDIT): Move.STAY for s in (S.DRAFT, *_HUMAN_STEPS)},
    **{(s, A.SUBSTANTIVE_CHANGE): Move.TO_SIGNER for s in (S.RECHECK, S.REGISTERING, S.SEALING)},
    (S.REGISTERING, A.ASSIGN_NUMBER): Move.STAY,
    **{(s, A.CANCEL): Move.ABANDON for s in _BEFORE_SIGNOFF},
}


def move_for(flow: Flow, action: Action) -> Move:
    """The table entry for the flow's state, or the most telling refusal."""
    move = TRANSITIONS.get((flow.state, action))
    if move is not None:
        return move
    raise refusal(flow, action)


def refusal(flow: Flow, action: Action) -> IllegalMove:
    state = flow.state
    if action is Action.ASSIGN_NUMBER:
        if flow.signoff is None:
            return NumberingBeforeSignoff("文件尚未签发，不能编发文字号；发文字号在签发后的登记环节编号")
        if flow.doc_number is not None:
            return AlreadyNumbered(f"本文件已编号为 {flow.doc_number}，不能再次编号")
    if flow.sealed_at is not None and action in (Action.EDIT, Action.SUBSTANTIVE_CHANGE):
        return EditAfterSealing("文件已用印，内容不能再修改；如需更改，请重新起草或作废后重发")
    if state is S.DISPATCHING and action in (Action.EDIT, Action.SUBSTANTIVE_CHANGE):
        return EditAfterSealing("文件已定稿待核发，内容不能再修改")
    if state in (S.DISPATCHED, S.WITHDRAWN):
        return ActionNotAllowed(f"文件已{_STATE_LABEL[state]}，不能再{_ACTION_LABEL[action]}")
    return ActionNotAllowed(f"文件处于“{_STATE_LABEL[state]}”状态，不能{_ACTION_LABEL[action]}")


_STATE_LABEL: dict[DocState, str] = {
    S.DRAFT: "草稿",
    S.IN_REVIEW: "核稿中",
    S.COUNTERSIGNING: "会签中",
    S.AWAITING_SIGNOFF: "待签发",
    S.RECHECK: "复核中",
    S.REGISTERING: "待登记",
    S.SEALING: "待用印",
    S.DISPATCHING: "待核发",
    S.DISPATCHED: "核发",
    S.WITHDRAWN: "撤销",
}
_ACTION_LABEL: dict[Action, str] = {
    A.SUBMIT: "送审",
    A.APPROVE: "办理通过（请使用本环节对应的操作）",
    A.RETURN: "退回",
    A.RESUBMIT: "直送退回环节",
    A.WITHDRAW: "撤回",
    A.TRANSFER: "转交",
    A.ADD_COUNTERSIGNER: "加签（仅会签进行中可加签）",
    A.URGE: "催办",
    A.EDIT: "修改",
    A.SUBSTANTIVE_CHANGE: "作实质性修改（签发后才需要退回签发人）",
    A.ASSIGN_NUMBER: "编号",
    A.SEAL: "用印",
    A.DISPATCH: "核发",
    A.CANCEL: "撤销（签发后的文件不能撤销）",
}


def state_label(state: DocState) -> str:
    return _STATE_LABEL[state]
