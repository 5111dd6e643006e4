"""The outgoing-document flow through the pure engine: the happy path, each 退回 form, 直送, 撤回,
转交, 委托, 加签, 催办, 撤销 and the substantive change after 签发."""

from __future__ import annotations

from datetime import timedelta

import pytest

from docflow.rules.delegation import Delegation
from docflow.rules.workflow_commands import (
    AddCountersigners,
    Approve,
    AssignNumber,
    Cancel,
    Edit,
    Resubmit,
    ReturnTarget,
    ReturnTo,
    Seal,
    Submit,
    SubstantiveChange,
    Transfer,
    Urge,
    Withdraw,
)
from docflow.rules.workflow_definition import ANY, StepKind, standard_definition
from docflow.rules.workflow_events import (
    Dispatched,
    DocumentWithdrawn,
    NewTask,
    Numbered,
    ResignRequired,
    Returned,
    SignedOff,
    TaskCancelled,
    TaskTransferred,
    TaskWithdrawn,
    Urged,
)
from docflow.rules.workflow_outcome import ChangeKind
from docflow.rules.workflow_state import DocState, TaskOutcome, TaskStatus

NUMBER = "象政发〔2026〕1号"


def events_of(outcome, kind):  # type: ignore[no-untyped-def]
    return [event for event in outcome.events if isinstance(event, kind)]


def test_the_happy_path_goes_through_all_eight_steps_and_ends_dispatched(driver) -> None:
    driver.to_dispatched()
    assert driver.state is DocState.DISPATCHED
    assert driver.open_tasks() == ()
    assert driver.flow.doc_number == NUMBER
    assert driver.flow.signoff is not None and driver.flow.signoff.signer == "signer"
    assert driver.flow.signoff.opinion == "同意印发"
    assert driver.flow.sealed_at is not None
    steps = [task.step for task in driver.flow.tasks if task.status is TaskStatus.DONE]
    assert steps == [
        StepKind.DRAFT,
        StepKind.REVIEW,
        StepKind.COUNTERSIGN,
        StepKind.COUNTERSIGN,
        StepKind.SIGNOFF,
        StepKind.RECHECK,
        StepKind.REGISTER,
        StepKind.SEAL,
        StepKind.DISPATCH,
    ]
    dispatched = events_of(driver.outcomes[-1], Dispatched)
    assert dispatched and set(dispatched[0].recipients) == {"drafter", "signer"}


def test_submit_creates_one_review_task_with_its_deadline_and_tells_the_reviewer(driver) -> None:
    outcome = driver.do("drafter", Submit())
    (task,) = driver.open_tasks()
    assert (task.step, task.holder, task.assigned_by) == (StepKind.REVIEW, "reviewer", "drafter")
    assert task.due_at == outcome.record.at + timedelta(hours=24)
    (new_task,) = events_of(outcome, NewTask)
    assert new_task.recipients == ("reviewer",) and new_task.task_id == task.id
    assert [change.kind for change in outcome.task_changes] == [ChangeKind.CLOSED, ChangeKind.CREATED]
    assert (outcome.record.from_state, outcome.record.to_state) == (DocState.DRAFT, DocState.IN_REVIEW)


def test_an_optional_countersign_can_be_skipped_when_sending_on(driver) -> None:
    driver.to_review().do(
        "reviewer", Approve("无需会签", next_holders=("signer",), skip=frozenset({StepKind.COUNTERSIGN}))
    )
    assert driver.state is DocState.AWAITING_SIGNOFF
    assert driver.holders() == ["signer"]


def test_signoff_records_opinion_name_and_full_time_and_tells_the_drafter(driver) -> None:
    driver.to_signoff()
    outcome = driver.do("signer", Approve("同意"))
    assert driver.flow.signoff is not None
    assert (driver.flow.signoff.signer, driver.flow.signoff.opinion) == ("signer", "同意")
    assert driver.flow.signoff.at == outcome.record.at
    (signed,) = events_of(outcome, SignedOff)
    assert signed.recipients == ("drafter",)


# 退回 ---------------------------------------------------------------------------------------------


def test_return_to_previous_step_goes_to_whoever_handled_it(driver) -> None:
    driver.to_recheck()
    outcome = driver.do("reviewer", ReturnTo(ReturnTarget.PREVIOUS, "落款日期有误"))
    assert driver.state is DocState.AWAITING_SIGNOFF
    assert driver.holders() == ["signer"]
    (returned,) = events_of(outcome, Returned)
    assert (returned.from_step, returned.to_step, returned.reason) == (
        StepKind.RECHECK,
        StepKind.SIGNOFF,
        "落款日期有误",
    )
    assert driver.flow.signoff is None, "a return that reaches 签发 voids the signature"


def test_return_to_drafter_gives_the_drafter_a_task_and_remembers_who_returned_it(driver) -> None:
    driver.to_review().do("reviewer", ReturnTo(ReturnTarget.DRAFTER, "文种应为请示"))
    assert driver.state is DocState.DRAFT
    assert driver.holders() == ["drafter"]
    assert driver.flow.returned_from is StepKind.REVIEW
    (returned_task,) = [t for t in driver.flow.tasks if t.outcome is TaskOutcome.RETURNED]
    assert returned_task.opinion == "文种应为请示"


def test_return_to_a_named_earlier_step_reopens_countersign_for_its_countersigners(driver) -> None:
    driver.to_signoff().do("signer", ReturnTo(ReturnTarget.STEP, "请各部门重新会签", StepKind.COUNTERSIGN))
    assert driver.state is DocState.COUNTERSIGNING
    assert driver.holders() == ["office-a", "office-b"]


def test_return_to_a_step_the_document_never_went_through_is_refused(driver) -> None:
    from docflow.rules.workflow_errors import InvalidReturnTarget

    driver.to_review().do(
        "reviewer", Approve("无需会签", next_holders=("signer",), skip=frozenset({StepKind.COUNTERSIGN}))
    )
    with pytest.raises(InvalidReturnTarget, match="已经过的前序环节"):
        driver.attempt("signer", ReturnTo(ReturnTarget.STEP, "x", StepKind.COUNTERSIGN))
    with pytest.raises(InvalidReturnTarget):
        driver.attempt("signer", ReturnTo(ReturnTarget.STEP, "x", StepKind.REGISTER))


def test_return_needs_a_reason(driver) -> None:
    from docflow.rules.workflow_errors import ReasonRequired

    driver.to_review()
    with pytest.raises(ReasonRequired, match="理由"):
        driver.attempt("reviewer", ReturnTo(ReturnTarget.DRAFTER, "  "))


def test_resubmit_goes_straight_back_to_the_step_and_person_that_returned_it(driver) -> None:
    driver.to_signoff().do("signer", ReturnTo(ReturnTarget.DRAFTER, "请补充依据"))
    driver.do("drafter", Resubmit("已补充"))
    assert driver.state is DocState.AWAITING_SIGNOFF
    assert driver.holders() == ["signer"]
    assert driver.flow.returned_from is None


def test_a_normal_submit_after_a_return_takes_the_whole_path_again(driver) -> None:
    driver.to_signoff().do("signer", ReturnTo(ReturnTarget.DRAFTER, "请补充依据"))
    driver.do("drafter", Submit())
    assert driver.state is DocState.IN_REVIEW


def test_resubmit_without_a_return_is_refused(driver) -> None:
    from docflow.rules.workflow_errors import NothingToResubmit

    driver.to_review()
    with pytest.raises(NothingToResubmit):
        driver.attempt("reviewer", Resubmit())


def test_a_return_from_after_signoff_to_the_drafter_must_come_back_through_the_signer(driver) -> None:
    driver.to_registering().do("registrar", ReturnTo(ReturnTarget.DRAFTER, "附件缺页"))
    assert driver.flow.returned_from is StepKind.SIGNOFF
    driver.do("drafter", Resubmit())
    assert driver.state is DocState.AWAITING_SIGNOFF


def test_a_return_inside_countersign_cancels_the_pending_countersigners(make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition())
    d.to_countersign("office-a", "office-b", "office-c")
    d.do("office-a", Approve("同意"))
    outcome = d.do("office-b", ReturnTo(ReturnTarget.DRAFTER, "涉及我局职责的表述不准确"))
    assert d.state is DocState.DRAFT and d.holders() == ["drafter"]
    cancelled = events_of(outcome, TaskCancelled)
    assert [event.recipients for event in cancelled] == [("office-c",)]
    office_c = [t for t in d.flow.tasks if t.holder == "office-c"]
    assert office_c[0].status is TaskStatus.CANCELLED and office_c[0].outcome is TaskOutcome.SUPERSEDED


def test_coming_back_to_countersign_after_a_return_from_inside_asks_the_cancelled_countersigners_too(
        make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition())
    d.to_countersign("office-a", "office-b", "office-c")
    d.do("office-a", Approve("同意"))
    d.do("office-b", ReturnTo(ReturnTarget.PREVIOUS, "涉及我局职责的表述不准确"))
    d.do("reviewer", Resubmit("已改"))
    # office-c never countersigned: under the "all" policy it must, or 会签 would complete without it.
    assert d.state is DocState.COUNTERSIGNING and d.holders() == ["office-a", "office-b", "office-c"]
    d.do("office-a", Approve("同意"))
    d.do("office-b", Approve("同意"))
    assert d.state is DocState.COUNTERSIGNING and d.holders() == ["office-c"]


def test_a_return_to_countersign_from_signoff_asks_the_whole_round_again(
        make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition(ANY))
    d.to_countersign("office-a", "office-b")
    d.do("office-a", Approve("同意", next_holders=("signer",)))  # 或签: office-b was not needed
    d.do("signer", ReturnTo(ReturnTarget.STEP, "请重新会签", StepKind.COUNTERSIGN))
    assert d.state is DocState.COUNTERSIGNING and d.holders() == ["office-a", "office-b"]


# 撤回 ---------------------------------------------------------------------------------------------


def test_the_sender_withdraws_before_the_next_holder_acts(driver) -> None:
    driver.to_review()
    outcome = driver.do("drafter", Withdraw("还要改标题"))
    assert driver.state is DocState.DRAFT and driver.holders() == ["drafter"]
    (withdrawn,) = events_of(outcome, TaskWithdrawn)
    assert withdrawn.recipients == ("reviewer",)


def test_withdrawing_a_countersign_round_cancels_every_countersigner(driver) -> None:
    driver.to_countersign()
    driver.do("reviewer", Withdraw())
    assert driver.state is DocState.IN_REVIEW and driver.holders() == ["reviewer"]
    assert sorted(e.recipients[0] for e in events_of(driver.outcomes[-1], TaskWithdrawn)) == [
        "office-a",
        "office-b",
    ]


def test_withdraw_is_refused_once_the_next_holder_has_acted(driver) -> None:
    from docflow.rules.workflow_errors import TooLateToWithdraw

    driver.to_countersign()
    driver.do("office-a", Approve("同意"))
    with pytest.raises(TooLateToWithdraw):
        driver.attempt("reviewer", Withdraw())


def test_only_the_sender_may_withdraw(driver) -> None:
    from docflow.rules.workflow_errors import NotTheSender

    driver.to_review()
    with pytest.raises(NotTheSender):
        driver.attempt("signer", Withdraw())


def test_the_signer_withdrawing_a_signed_document_takes_the_signature_back(driver) -> None:
    driver.to_recheck().do("signer", Withdraw("再斟酌"))
    assert driver.state is DocState.AWAITING_SIGNOFF and driver.flow.signoff is None


# 转交 and 委托 -------------------------------------------------------------------------------------


def test_transfer_hands_the_task_to_an_eligible_colleague_with_the_same_deadline(driver) -> None:
    driver.to_signoff()
    (before,) = driver.open_tasks()
    outcome = driver.do("signer", Transfer("deputy-head", "出差，请副县长签发"))
    (after,) = driver.open_tasks()
    assert (after.holder, after.due_at, after.round) == ("deputy-head", before.due_at, before.round)
    assert driver.flow.task(before.id).outcome is TaskOutcome.TRANSFERRED
    (moved,) = events_of(outcome, TaskTransferred)
    assert moved.to_holder == "deputy-head" and "deputy-head" in moved.recipients
    driver.do("deputy-head", Approve("同意"))
    assert driver.flow.signoff is not None and driver.flow.signoff.signer == "deputy-head"


def test_transfer_to_someone_outside_the_steps_role_is_refused(driver) -> None:
    from docflow.rules.workflow_errors import HolderNotEligible

    driver.to_signoff()
    with pytest.raises(HolderNotEligible, match="签发人"):
        driver.attempt("signer", Transfer("office-a"))


def test_a_delegate_acts_for_the_delegator_and_is_recorded_as_such(make_driver) -> None:
    from docflow.rules.workflow_state import start_flow  # noqa: F401  (the driver starts the flow)

    d = make_driver(standard_definition("xs-gov"))
    d.to_signoff()
    d.delegations.append(Delegation("signer", "deputy-head", d.now, d.now + timedelta(days=3)))
    outcome = d.do("deputy-head", Approve("同意（代签）"))
    assert outcome.record.actor == "deputy-head" and outcome.record.acting_for == "signer"
    signed_task = next(t for t in d.flow.tasks if t.step is StepKind.SIGNOFF)
    assert (signed_task.holder, signed_task.acted_by) == ("signer", "deputy-head")
    assert d.flow.signoff is not None
    assert (d.flow.signoff.signer, d.flow.signoff.by) == ("signer", "deputy-head")


def test_a_new_task_for_a_delegator_is_announced_to_the_delegate_too(make_driver) -> None:
    d = make_driver(standard_definition("xs-gov"))
    d.delegations.append(Delegation("reviewer", "reviewer-deputy", d.now, d.now + timedelta(days=1)))
    outcome = d.do("drafter", Submit())
    (new_task,) = events_of(outcome, NewTask)
    assert new_task.holder == "reviewer" and new_task.recipients == ("reviewer", "reviewer-deputy")


def test_an_expired_delegation_no_longer_lets_the_delegate_act(make_driver) -> None:
    from docflow.rules.workflow_errors import NotTaskHolder

    d = make_driver(standard_definition("xs-gov"))
    d.delegations.append(Delegation("reviewer", "reviewer-deputy", d.now - timedelta(days=2), d.now))
    d.to_review()
    with pytest.raises(NotTaskHolder):
        d.attempt("reviewer-deputy", Approve())


# 加签, 催办, 撤销, edits ----------------------------------------------------------------------------


def test_add_countersigner_while_open_widens_the_round(driver) -> None:
    driver.to_countersign()
    outcome = driver.do("office-a", AddCountersigners(("office-c",)))
    assert driver.holders() == ["office-a", "office-b", "office-c"]
    assert {t.round for t in driver.open_tasks()} == {driver.flow.round}
    assert [e.holder for e in events_of(outcome, NewTask)] == ["office-c"]
    driver.do("office-a", Approve())
    driver.do("office-b", Approve())
    assert driver.state is DocState.COUNTERSIGNING, "the added countersigner must also approve under policy all"
    driver.do("office-c", Approve(next_holders=("signer",)))
    assert driver.state is DocState.AWAITING_SIGNOFF


def test_add_countersigner_refuses_someone_already_in_the_round(driver) -> None:
    from docflow.rules.workflow_errors import HolderNotEligible

    driver.to_countersign()
    with pytest.raises(HolderNotEligible, match="已是本轮会签人"):
        driver.attempt("reviewer", AddCountersigners(("office-b",)))


def test_add_countersigner_by_an_outsider_is_refused(driver) -> None:
    from docflow.rules.workflow_errors import NotTaskHolder

    driver.to_countersign()
    with pytest.raises(NotTaskHolder):
        driver.attempt("signer", AddCountersigners(("office-c",)))


def test_add_countersigner_outside_countersign_is_not_in_the_table(driver) -> None:
    from docflow.rules.workflow_errors import ActionNotAllowed

    driver.to_review()
    with pytest.raises(ActionNotAllowed, match="加签"):
        driver.attempt("reviewer", AddCountersigners(("office-c",)))


def test_the_drafter_urges_the_current_holders_without_changing_anything(driver) -> None:
    driver.to_countersign()
    before = driver.flow
    outcome = driver.do("drafter", Urge("请今日内会签"))
    assert outcome.flow == before and outcome.task_changes == ()
    (urged,) = events_of(outcome, Urged)
    assert sorted(urged.recipients) == ["office-a", "office-b"] and urged.message == "请今日内会签"


def test_a_stranger_may_not_urge(driver) -> None:
    from docflow.rules.workflow_errors import NotAllowedToUrge

    driver.to_review()
    with pytest.raises(NotAllowedToUrge):
        driver.attempt("office-c", Urge())


def test_the_drafter_cancels_a_document_before_signoff_and_pending_holders_are_told(driver) -> None:
    driver.to_countersign()
    outcome = driver.do("drafter", Cancel("上级已发文，本文不再需要"))
    assert driver.state is DocState.WITHDRAWN and driver.open_tasks() == ()
    (gone,) = events_of(outcome, DocumentWithdrawn)
    assert sorted(gone.recipients) == ["office-a", "office-b"]


def test_only_the_drafter_may_cancel(driver) -> None:
    from docflow.rules.workflow_errors import NotTheDrafter

    driver.to_review()
    with pytest.raises(NotTheDrafter):
        driver.attempt("reviewer", Cancel("x"))


def test_a_reviewer_edit_is_shown_to_the_drafter(driver) -> None:
    driver.to_review()
    outcome = driver.do("reviewer", Edit("修改第二段表述"))
    assert outcome.flow.state is DocState.IN_REVIEW
    assert outcome.events[0].recipients == ("drafter",)


# After 签发 ---------------------------------------------------------------------------------------


def test_a_substantive_change_after_signoff_goes_back_to_the_signer_who_can_send_it_straight_back(
    driver,
) -> None:
    driver.to_registering()
    driver.do("registrar", AssignNumber(NUMBER))
    outcome = driver.do("registrar", SubstantiveChange("第三条的金额由 50 万改为 80 万"))
    assert driver.state is DocState.AWAITING_SIGNOFF and driver.holders() == ["signer"]
    assert driver.flow.signoff is None
    (resign,) = events_of(outcome, ResignRequired)
    assert set(resign.recipients) == {"signer", "drafter"}
    driver.do("signer", Resubmit("同意修改"))
    assert driver.state is DocState.REGISTERING and driver.holders() == ["registrar"]
    assert driver.flow.signoff is not None and driver.flow.signoff.opinion == "同意修改"
    assert driver.flow.doc_number == NUMBER, "re-entering 登记 keeps the number"


def test_a_substantive_edit_after_signoff_is_refused_as_a_plain_edit(driver) -> None:
    from docflow.rules.workflow_errors import SubstantiveChangeNeedsSignoff

    driver.to_recheck()
    driver.do("reviewer", Edit("调整格式"))
    with pytest.raises(SubstantiveChangeNeedsSignoff, match="签发人"):
        driver.attempt("reviewer", Edit("改了结论", substantive=True))


def test_numbering_is_recorded_once_and_announced(driver) -> None:
    driver.to_registering()
    outcome = driver.do("registrar", AssignNumber(NUMBER))
    (numbered,) = events_of(outcome, Numbered)
    assert numbered.doc_number == NUMBER and numbered.recipients == ("drafter",)
    again = driver.do("registrar", AssignNumber(NUMBER))
    assert again.flow == outcome.flow and again.events == () and again.task_changes == ()


def test_sealing_finalises_and_dispatch_notifies(driver) -> None:
    driver.to_sealing()
    driver.do("sealer", Seal("seal-xs-gov"))
    assert driver.state is DocState.DISPATCHING and driver.holders() == ["registrar"]


def test_cancelling_a_numbered_document_records_the_number_as_voided(driver) -> None:
    from docflow.rules.workflow_events import NumberVoided

    driver.to_sealing().do("sealer", ReturnTo(ReturnTarget.DRAFTER, "依据已废止"))
    outcome = driver.do("drafter", Cancel("依据已废止，不再发文"))
    (voided,) = events_of(outcome, NumberVoided)
    assert voided.doc_number == NUMBER and voided.recipients == ("registrar",)


def test_only_the_registrar_records_a_number_even_when_it_is_the_same_one(driver) -> None:
    from docflow.rules.workflow_errors import NotTaskHolder

    driver.to_registering().do("registrar", AssignNumber(NUMBER))
    with pytest.raises(NotTaskHolder):
        driver.attempt("drafter", AssignNumber(NUMBER))
