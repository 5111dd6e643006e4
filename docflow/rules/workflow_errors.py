"""Typed refusals of the workflow engine. Each carries a stable `code` (for the HTTP problem table)
and a Chinese message the user can act on. Raising one means nothing changed."""

from __future__ import annotations


class IllegalMove(Exception):
    """A move the rules forbid in the current state; `code` is stable, `message` is for the user."""

    code = "workflow.illegal_move"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ActionNotAllowed(IllegalMove):
    code = "workflow.action_not_allowed"


class NotTaskHolder(IllegalMove):
    code = "workflow.not_task_holder"


class AlreadyActed(IllegalMove):
    code = "workflow.already_acted"


class DrafterMayNotCountersign(IllegalMove):
    code = "workflow.drafter_may_not_countersign"


class HolderRequired(IllegalMove):
    code = "workflow.holder_required"


class HolderNotEligible(IllegalMove):
    code = "workflow.holder_not_eligible"


class SkipNotAllowed(IllegalMove):
    code = "workflow.skip_not_allowed"


class ReasonRequired(IllegalMove):
    code = "workflow.reason_required"


class InvalidReturnTarget(IllegalMove):
    code = "workflow.invalid_return_target"


class NothingToResubmit(IllegalMove):
    code = "workflow.nothing_to_resubmit"


class NotTheSender(IllegalMove):
    code = "workflow.not_the_sender"


class TooLateToWithdraw(IllegalMove):
    code = "workflow.too_late_to_withdraw"


class NotAllowedToUrge(IllegalMove):
    code = "workflow.not_allowed_to_urge"


class NotTheDrafter(IllegalMove):
    code = "workflow.not_the_drafter"


class NumberingBeforeSignoff(IllegalMove):
    code = "workflow.numbering_before_signoff"


class AlreadyNumbered(IllegalMove):
    code = "workflow.already_numbered"


class NumberMissing(IllegalMove):
    code = "workflow.number_missing"


class InvalidDocNumber(IllegalMove):
    code = "workflow.invalid_doc_number"


class EditAfterSealing(IllegalMove):
    code = "workflow.edit_after_sealing"


class SubstantiveChangeNeedsSignoff(IllegalMove):
    code = "workflow.substantive_change_needs_signoff"
