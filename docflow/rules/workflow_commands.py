"""What a user asks the workflow to do: the `Action` enum and one small command type per action.

Commands carry only what the user chose (opinion, reason, next holders); who acts and when are
separate arguments of `workflow.apply`, and everything else comes from the flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from docflow.rules.workflow_definition import StepKind


class Action(StrEnum):
    SUBMIT = "submit"  # 送审: the drafter sends the draft on
    APPROVE = "approve"  # 同意/办理完毕, with an opinion
    RETURN = "return"  # 退回 (previous step, drafter, or any earlier step)
    RESUBMIT = "resubmit"  # 直送: straight back to the step that returned it
    WITHDRAW = "withdraw"  # 撤回: the sender takes it back before the next holder acts
    TRANSFER = "transfer"  # 转交 to a colleague
    ADD_COUNTERSIGNER = "add_countersigner"  # 加签 while 会签 is open
    URGE = "urge"  # 催办
    EDIT = "edit"  # save a new version of the content
    SUBSTANTIVE_CHANGE = "substantive_change"  # a change after 签发 that goes back to the signer
    ASSIGN_NUMBER = "assign_number"  # 登记: record the 发文字号 taken from the counter
    SEAL = "seal"  # 用印
    DISPATCH = "dispatch"  # 核发
    CANCEL = "cancel"  # 撤销: the drafter abandons the document


class ReturnTarget(StrEnum):
    PREVIOUS = "previous"
    DRAFTER = "drafter"
    STEP = "step"


@dataclass(frozen=True)
class Submit:
    action: ClassVar[Action] = Action.SUBMIT
    next_holders: tuple[str, ...] = ()
    skip: frozenset[StepKind] = frozenset()
    opinion: str = ""


@dataclass(frozen=True)
class Approve:
    action: ClassVar[Action] = Action.APPROVE
    opinion: str = ""
    next_holders: tuple[str, ...] = ()
    skip: frozenset[StepKind] = frozenset()


@dataclass(frozen=True)
class ReturnTo:
    target: ReturnTarget
    reason: str
    step: StepKind | None = None  # only with ReturnTarget.STEP
    action: ClassVar[Action] = Action.RETURN


@dataclass(frozen=True)
class Resubmit:
    action: ClassVar[Action] = Action.RESUBMIT
    opinion: str = ""


@dataclass(frozen=True)
class Withdraw:
    action: ClassVar[Action] = Action.WITHDRAW
    reason: str = ""


@dataclass(frozen=True)
class Transfer:
    to: str
    reason: str = ""
    action: ClassVar[Action] = Action.TRANSFER


@dataclass(frozen=True)
class AddCountersigners:
    people: tuple[str, ...]
    action: ClassVar[Action] = Action.ADD_COUNTERSIGNER


@dataclass(frozen=True)
class Urge:
    action: ClassVar[Action] = Action.URGE
    message: str = ""


@dataclass(frozen=True)
class Edit:
    action: ClassVar[Action] = Action.EDIT
    summary: str = ""
    substantive: bool = False


@dataclass(frozen=True)
class SubstantiveChange:
    reason: str
    action: ClassVar[Action] = Action.SUBSTANTIVE_CHANGE


@dataclass(frozen=True)
class AssignNumber:
    doc_number: str
    action: ClassVar[Action] = Action.ASSIGN_NUMBER


@dataclass(frozen=True)
class Seal:
    seal_id: str
    next_holders: tuple[str, ...] = ()
    action: ClassVar[Action] = Action.SEAL


@dataclass(frozen=True)
class Dispatch:
    action: ClassVar[Action] = Action.DISPATCH
    opinion: str = ""


@dataclass(frozen=True)
class Cancel:
    reason: str
    action: ClassVar[Action] = Action.CANCEL


Command = (
    Submit
    | Approve
    | ReturnTo
    | Resubmit
    | Withdraw
    | Transfer
    | AddCountersigners
    | Urge
    | Edit
    | SubstantiveChange
    | AssignNumber
    | Seal
    | Dispatch
    | Cancel
)
