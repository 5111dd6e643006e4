"""会签 completion policies (all, any, quorum) and the refusals the issue names: acting on a task you
do not hold, approving twice, the drafter countersigning when forbidden, numbering before 签发,
editing after 用印."""

from __future__ import annotations

import pytest

from docflow.rules.workflow_commands import (
    AddCountersigners,
    Approve,
    AssignNumber,
    Edit,
    Submit,
    SubstantiveChange,
    Transfer,
)
from docflow.rules.workflow_definition import ANY, quorum
from docflow.rules.workflow_errors import (
    AlreadyActed,
    AlreadyNumbered,
    DrafterMayNotCountersign,
    EditAfterSealing,
    HolderRequired,
    InvalidDocNumber,
    NotTaskHolder,
    NumberingBeforeSignoff,
    NumberMissing,
    SkipNotAllowed,
)
from docflow.rules.workflow_events import TaskCancelled
from docflow.rules.workflow_state import DocState, TaskOutcome, TaskStatus

OFFICES = ("office-a", "office-b", "office-c")


def test_policy_all_waits_for_every_countersigner(make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition()).to_countersign(*OFFICES)
    d.do("office-a", Approve("同意"))
    d.do("office-b", Approve("同意"))
    assert d.state is DocState.COUNTERSIGNING and d.holders() == ["office-c"]
    d.do("office-c", Approve("同意", next_holders=("signer",)))
    assert d.state is DocState.AWAITING_SIGNOFF


def test_policy_any_completes_on_the_first_approval_and_cancels_the_rest(make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition(ANY)).to_countersign(*OFFICES)
    outcome = d.do("office-b", Approve("同意", next_holders=("signer",)))
    assert d.state is DocState.AWAITING_SIGNOFF
    cancelled = sorted(e.recipients[0] for e in outcome.events if isinstance(e, TaskCancelled))
    assert cancelled == ["office-a", "office-c"]
    superseded = [t for t in d.flow.tasks if t.outcome is TaskOutcome.SUPERSEDED]
    assert {t.holder for t in superseded} == {"office-a", "office-c"}


def test_policy_quorum_completes_at_n_approvals(make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition(quorum(2))).to_countersign(*OFFICES)
    d.do("office-c", Approve("同意"))
    assert d.state is DocState.COUNTERSIGNING
    d.do("office-a", Approve("同意", next_holders=("signer",)))
    assert d.state is DocState.AWAITING_SIGNOFF
    assert [t.holder for t in d.flow.tasks if t.outcome is TaskOutcome.SUPERSEDED] == ["office-b"]


def test_a_countersigner_who_is_not_last_needs_to_name_nobody(make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition()).to_countersign("office-a", "office-b")
    d.do("office-a", Approve("同意"))  # no next holder: the step is still open
    with pytest.raises(HolderRequired, match="签发"):
        d.attempt("office-b", Approve("同意"))


def test_every_countersign_opinion_is_kept(make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition()).to_countersign(*OFFICES)
    for office in OFFICES:
        d.do(office, Approve(f"{office} 无意见", next_holders=("signer",)))
    opinions = {t.holder: t.opinion for t in d.flow.tasks if t.outcome is TaskOutcome.APPROVED}
    assert {office: opinions[office] for office in OFFICES} == {o: f"{o} 无意见" for o in OFFICES}


# Refusals -----------------------------------------------------------------------------------------


def test_acting_on_a_task_you_do_not_hold_is_refused(driver) -> None:
    driver.to_review()
    with pytest.raises(NotTaskHolder, match="核稿"):
        driver.attempt("signer", Approve())


def test_approving_twice_is_refused_as_already_acted(driver) -> None:
    driver.to_countersign()
    driver.do("office-a", Approve("同意"))
    with pytest.raises(AlreadyActed):
        driver.attempt("office-a", Approve("同意"))


def test_approving_again_after_the_document_moved_on_is_refused_as_already_acted(driver) -> None:
    driver.to_review()
    driver.do("reviewer", Approve(next_holders=("office-a",)))
    with pytest.raises(AlreadyActed):
        driver.attempt("reviewer", Approve(next_holders=("office-a",)))


def test_the_drafter_cannot_be_named_countersigner_when_the_workflow_forbids_it(driver) -> None:
    driver.to_review()
    with pytest.raises(DrafterMayNotCountersign, match="拟稿人"):
        driver.attempt("reviewer", Approve(next_holders=("office-a", "drafter")))


def test_the_drafter_cannot_be_added_or_transferred_into_countersign(driver) -> None:
    driver.to_countersign()
    with pytest.raises(DrafterMayNotCountersign):
        driver.attempt("office-a", AddCountersigners(("drafter",)))
    with pytest.raises(DrafterMayNotCountersign):
        driver.attempt("office-a", Transfer("drafter"))


def test_the_drafter_may_countersign_when_the_workflow_allows_it(make_driver, countersign_definition) -> None:
    d = make_driver(countersign_definition(drafter_may_countersign=True)).to_countersign("office-a", "drafter")
    d.do("drafter", Approve("本部门同意"))
    assert d.holders() == ["office-a"]


def test_numbering_before_signoff_is_refused(driver) -> None:
    driver.to_signoff()
    with pytest.raises(NumberingBeforeSignoff, match="签发"):
        driver.attempt("signer", AssignNumber("象政发〔2026〕1号"))


def test_a_signed_off_document_cannot_be_numbered_twice(driver) -> None:
    driver.to_registering().do("registrar", AssignNumber("象政发〔2026〕1号"))
    with pytest.raises(AlreadyNumbered, match="象政发〔2026〕1号"):
        driver.attempt("registrar", AssignNumber("象政发〔2026〕2号"))


def test_a_numbered_document_cannot_be_numbered_again_later_either(driver) -> None:
    driver.to_sealing()
    with pytest.raises(AlreadyNumbered):
        driver.attempt("sealer", AssignNumber("象政发〔2026〕2号"))


def test_a_malformed_number_is_refused_with_the_format(driver) -> None:
    driver.to_registering()
    with pytest.raises(InvalidDocNumber, match="六角括号"):
        driver.attempt("registrar", AssignNumber("象政发[2026]1号"))


def test_registering_cannot_be_completed_without_a_number(driver) -> None:
    driver.to_registering()
    with pytest.raises(NumberMissing):
        driver.attempt("registrar", Approve(next_holders=("sealer",)))


def test_editing_after_sealing_is_refused(driver) -> None:
    driver.to_dispatching()
    with pytest.raises(EditAfterSealing, match="用印"):
        driver.attempt("registrar", Edit("改一个字"))
    with pytest.raises(EditAfterSealing):
        driver.attempt("registrar", SubstantiveChange("改金额"))


def test_editing_a_dispatched_document_is_refused(driver) -> None:
    driver.to_dispatched()
    with pytest.raises(EditAfterSealing):
        driver.attempt("drafter", Edit("改一个字"))


def test_editing_someone_elses_step_is_refused(driver) -> None:
    driver.to_review()
    with pytest.raises(NotTaskHolder):
        driver.attempt("drafter", Edit("偷偷改"))


def test_skipping_a_required_step_is_refused(driver) -> None:
    from docflow.rules.workflow_definition import StepKind

    with pytest.raises(SkipNotAllowed, match="签发"):
        driver.attempt("drafter", Submit(next_holders=("reviewer",), skip=frozenset({StepKind.SIGNOFF})))


def test_a_refused_move_changes_nothing(driver) -> None:
    driver.to_countersign()
    before = driver.flow
    applied = len(driver.outcomes)
    with pytest.raises(AlreadyActed):
        driver.do("office-a", Approve())
        driver.do("office-a", Approve())
    # The first approval went through; the second raised and left the flow as the first made it.
    assert driver.flow.task(before.open_tasks[0].id).status is TaskStatus.DONE
    assert len(driver.outcomes) == applied + 1


def test_fifty_countersigners_advance_the_document_exactly_once_and_keep_every_opinion(
    make_driver, countersign_definition
) -> None:
    from docflow.rules.workflow_events import StepCompleted

    people = tuple(f"office-{i:02d}" for i in range(50))
    d = make_driver(countersign_definition()).to_countersign(*people)
    for person in reversed(people):
        d.do(person, Approve(f"{person} 同意", next_holders=("signer",)))
    completions = [e for o in d.outcomes for e in o.events if isinstance(e, StepCompleted) and e.step.value == "会签"]
    assert len(completions) == 1 and d.state is DocState.AWAITING_SIGNOFF
    opinions = [t.opinion for t in d.flow.tasks if t.outcome is TaskOutcome.APPROVED and t.holder in people]
    assert sorted(opinions) == sorted(f"{p} 同意" for p in people)
