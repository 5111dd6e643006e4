"""The incoming-document (收文) state machine as a pure transition table.

`apply(state, action, facts)` checks the move against `TRANSITIONS` and the guard of the action, and returns
the new state with the effects the use case must carry out in the same transaction (a business receipt to
the sender, reminders to people). An illegal move raises `IllegalIncomingMove`; a guard that fails raises
`IncomingGuardFailed`; both carry a message a registrar can act on.

    RECEIVED --sign_for--> SIGNED_FOR --register--> REGISTERED --accept--> ACCEPTED
                                                    REGISTERED --return--> RETURNED (退文, receipt)
    ACCEPTED --circulate--> CIRCULATING --read/circulate/urge--> CIRCULATING --close--> CLOSED
    ACCEPTED --propose--> PROPOSED --instruct--> INSTRUCTED --assign--> IN_PROGRESS --close--> CLOSED
    IN_PROGRESS --urge/reply--> IN_PROGRESS
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from oa.org.roles import Role


class State(StrEnum):
    RECEIVED = "received"  # 待签收
    SIGNED_FOR = "signed_for"  # 已签收，待登记
    REGISTERED = "registered"  # 已登记，待初审
    ACCEPTED = "accepted"  # 初审通过，待承办
    RETURNED = "returned"  # 已退文
    CIRCULATING = "circulating"  # 传阅中（阅件）
    PROPOSED = "proposed"  # 已拟办，待批示
    INSTRUCTED = "instructed"  # 已批示，待交办
    IN_PROGRESS = "in_progress"  # 承办中
    CLOSED = "closed"  # 已办结


STATE_LABELS: dict[State, str] = {
    State.RECEIVED: "待签收", State.SIGNED_FOR: "待登记", State.REGISTERED: "待初审", State.ACCEPTED: "待承办",
    State.RETURNED: "已退文", State.CIRCULATING: "传阅中", State.PROPOSED: "待批示", State.INSTRUCTED: "待交办",
    State.IN_PROGRESS: "承办中", State.CLOSED: "已办结",
}


class Action(StrEnum):
    SIGN_FOR = "sign_for"  # 签收
    REGISTER = "register"  # 登记
    ACCEPT = "accept"  # 初审通过
    RETURN = "return"  # 退文
    CIRCULATE = "circulate"  # 传阅 (add readers)
    READ = "read"  # 阅毕
    PROPOSE = "propose"  # 拟办意见
    INSTRUCT = "instruct"  # 批示
    ASSIGN = "assign"  # 交办: 主办 + 协办 + deadline
    URGE = "urge"  # 催办
    REPLY = "reply"  # 答复 (a new outgoing draft citing this one)
    CLOSE = "close"  # 办结


TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.RECEIVED, Action.SIGN_FOR): State.SIGNED_FOR,
    (State.SIGNED_FOR, Action.REGISTER): State.REGISTERED,
    (State.REGISTERED, Action.ACCEPT): State.ACCEPTED,
    (State.REGISTERED, Action.RETURN): State.RETURNED,
    (State.ACCEPTED, Action.CIRCULATE): State.CIRCULATING,
    (State.ACCEPTED, Action.PROPOSE): State.PROPOSED,
    (State.CIRCULATING, Action.CIRCULATE): State.CIRCULATING,
    (State.CIRCULATING, Action.READ): State.CIRCULATING,
    (State.CIRCULATING, Action.URGE): State.CIRCULATING,
    (State.CIRCULATING, Action.CLOSE): State.CLOSED,
    (State.PROPOSED, Action.INSTRUCT): State.INSTRUCTED,
    (State.PROPOSED, Action.URGE): State.PROPOSED,
    (State.INSTRUCTED, Action.ASSIGN): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.URGE): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.REPLY): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.CLOSE): State.CLOSED,
}
"""Every legal move; anything else is refused. Terminal states (RETURNED, CLOSED) have no outgoing move."""

REQUIRED_ROLE: dict[Action, Role] = {
    Action.SIGN_FOR: Role.REGISTRAR, Action.REGISTER: Role.REGISTRAR, Action.ACCEPT: Role.REGISTRAR,
    Action.RETURN: Role.REGISTRAR, Action.CIRCULATE: Role.REGISTRAR, Action.PROPOSE: Role.REGISTRAR,
    Action.INSTRUCT: Role.SIGNER, Action.ASSIGN: Role.REGISTRAR, Action.URGE: Role.REGISTRAR,
    Action.REPLY: Role.DRAFTER, Action.CLOSE: Role.REGISTRAR,
}
"""Who may take each action (READ is for the named readers, whatever their role)."""


class ReceiptKind(StrEnum):
    SIGNED_FOR = "签收"
    RETURNED = "退文"
    CLOSED = "办结"


RECEIPT_OF: dict[Action, ReceiptKind] = {
    Action.SIGN_FOR: ReceiptKind.SIGNED_FOR,
    Action.RETURN: ReceiptKind.RETURNED,
    Action.CLOSE: ReceiptKind.CLOSED,
}


class IllegalIncomingMove(ValueError):
    """The action is not allowed in the document's current state."""


class IncomingGuardFailed(ValueError):
    """The action is allowed in this state, but not by this person or not with these data."""


class NotPermitted(IncomingGuardFailed):
    """This person may not take the action (role, reader list, the named leader)."""


class MissingData(IncomingGuardFailed):
    """The action lacks what it needs (reasons, readers, opinion, office, deadline)."""


class AlreadyDone(IncomingGuardFailed):
    """The person already did this (e.g. marked the document read)."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the guards need to know: who acts and with what data (all plain values)."""

    roles: frozenset[Role]
    actor_id: int
    readers: frozenset[int] = frozenset()  # people the document circulates to
    new_readers: tuple[int, ...] = ()
    unread_by_actor: bool = False  # the actor is a reader who has not marked it read yet
    named_leader_id: int | None = None  # the leader the 拟办意见 asks for a 批示
    reasons: tuple[str, ...] = ()
    text: str = ""
    lead_office_id: int | None = None
    deadline: datetime | None = None
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class SendReceipt:
    """Effect: send a business receipt (回执) back to the sending unit through the outbox."""

    kind: ReceiptKind
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Transition:
    before: State
    after: State
    action: Action
    effects: tuple[SendReceipt, ...] = field(default=())


def allowed_actions(state: State) -> tuple[Action, ...]:
    return tuple(action for (from_state, action) in TRANSITIONS if from_state is state)


def _guard(state: State, action: Action, facts: Facts) -> None:
    if action is Action.READ:
        if facts.actor_id not in facts.readers:
            raise NotPermitted("您不在此文的传阅范围内")
        if not facts.unread_by_actor:
            raise AlreadyDone("您已阅过此文")
        return
    role = REQUIRED_ROLE[action]
    if role not in facts.roles:
        raise NotPermitted(f"此操作需要{_ROLE_WORD[role]}角色")
    if action is Action.RETURN and not any(reason.strip() for reason in facts.reasons):
        raise MissingData("退文必须写明理由")
    if action is Action.CIRCULATE and not facts.new_readers:
        raise MissingData("请选择传阅人")
    if action is Action.PROPOSE and (not facts.text.strip() or facts.named_leader_id is None):
        raise MissingData("拟办意见须写明意见并选择批示领导")
    if action is Action.INSTRUCT:
        if facts.named_leader_id is not None and facts.named_leader_id != facts.actor_id:
            raise NotPermitted("此文请其他领导批示，您不能代为批示")
        if not facts.text.strip():
            raise MissingData("批示内容不能为空")
    if action is Action.ASSIGN:
        if facts.lead_office_id is None or facts.deadline is None:
            raise MissingData("交办须指定主办处室和办理时限")
        if facts.now is not None and facts.deadline <= facts.now:
            raise MissingData("办理时限须晚于当前时间")


_ROLE_WORD: dict[Role, str] = {Role.REGISTRAR: "文书/收发", Role.SIGNER: "签发人（领导）", Role.DRAFTER: "拟稿人"}


def apply(state: State, action: Action, facts: Facts) -> Transition:
    """The move `action` from `state`, or a typed refusal; receipts to send are in `effects`."""
    after = TRANSITIONS.get((state, action))
    if after is None:
        raise IllegalIncomingMove(f"收文处于“{STATE_LABELS[state]}”状态，不能{_ACTION_WORD[action]}")
    _guard(state, action, facts)
    effects: tuple[SendReceipt, ...] = ()
    receipt = RECEIPT_OF.get(action)
    if receipt is not None:
        reasons = tuple(r.strip() for r in facts.reasons if r.strip()) if action is Action.RETURN else ()
        effects = (SendReceipt(receipt, reasons),)
    return Transition(state, after, action, effects)


_ACTION_WORD: dict[Action, str] = {
    Action.SIGN_FOR: "签收", Action.REGISTER: "登记", Action.ACCEPT: "通过初审", Action.RETURN: "退文",
    Action.CIRCULATE: "传阅", Action.READ: "阅毕", Action.PROPOSE: "拟办", Action.INSTRUCT: "批示",
    Action.ASSIGN: "交办", Action.URGE: "催办", Action.REPLY: "答复", Action.CLOSE: "办结",
}
