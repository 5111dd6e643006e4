"""The whole transition table, pair by pair: every (state, action) outside the table is refused
before any guard runs, and every pair inside it leads where its `Move` says."""

from __future__ import annotations

import itertools

import pytest

from docflow.rules.workflow_commands import (
    Action,
    AddCountersigners,
    Approve,
    AssignNumber,
    Cancel,
    Command,
    Dispatch,
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
from docflow.rules.workflow_definition import StepKind, standard_definition
from docflow.rules.workflow_errors import (
    ActionNotAllowed,
    AlreadyNumbered,
    EditAfterSealing,
    IllegalMove,
    NumberingBeforeSignoff,
)
from docflow.rules.workflow_state import STATE_OF_STEP, STEP_OF_STATE, DocState, Flow
from docflow.rules.workflow_table import TRANSITIONS, Move

NUMBER = "象政发〔2026〕1号"
COLLEAGUE = {
    StepKind.REVIEW: "reviewer-2",
    StepKind.COUNTERSIGN: "office-c",
    StepKind.SIGNOFF: "deputy-head",
    StepKind.RECHECK: "reviewer-2",
    StepKind.REGISTER: "registrar-2",
    StepKind.SEAL: "sealer-2",
    StepKind.DISPATCH: "registrar-2",
}
NEXT_HOLDER = {
    StepKind.REVIEW: "reviewer",
    StepKind.COUNTERSIGN: "office-a",
    StepKind.SIGNOFF: "signer",
    StepKind.RECHECK: "reviewer",
    StepKind.REGISTER: "registrar",
    StepKind.SEAL: "sealer",
    StepKind.DISPATCH: "registrar",
}
ORDER = list(DocState)


def reach(driver, state: DocState):  # type: ignore[no-untyped-def]
    """Drive a fresh flow into `state` along the happy path (one countersigner)."""
    steps = {
        DocState.DRAFT: lambda: driver,
        DocState.IN_REVIEW: driver.to_review,
        DocState.COUNTERSIGNING: lambda: driver.to_countersign("office-a"),
        DocState.AWAITING_SIGNOFF: driver.to_signoff,
        DocState.RECHECK: driver.to_recheck,
        DocState.REGISTERING: driver.to_registering,
        DocState.SEALING: driver.to_sealing,
        DocState.DISPATCHING: driver.to_dispatching,
        DocState.DISPATCHED: driver.to_dispatched,
        DocState.WITHDRAWN: lambda: driver.do("drafter", Cancel("不再需要")),
    }
    steps[state]()
    assert driver.state is state
    return driver


def reach_returned(driver, state: DocState):  # type: ignore[no-untyped-def]
    """`state`, reached by a 退回 from the step after it (so 直送 is possible)."""
    later = ORDER[ORDER.index(state) + 1]
    reach(driver, later)
    holder = driver.open_tasks()[0].holder
    driver.do(holder, ReturnTo(ReturnTarget.STEP, "请修改", STEP_OF_STATE[state]))
    assert driver.state is state
    return driver


def command_for(flow: Flow, action: Action) -> tuple[str, Command]:
    """A plausible (actor, command) for the action: the current holder doing the ordinary thing."""
    holder = flow.open_tasks[0].holder if flow.open_tasks else flow.drafter
    step = flow.step
    following = flow.definition.following(step) if step is not None else None
    next_holders = (NEXT_HOLDER[following],) if following is not None else ()
    handoff_by = flow.handoff.by if flow.handoff is not None else flow.drafter
    table: dict[Action, tuple[str, Command]] = {
        Action.SUBMIT: (holder, Submit(next_holders=next_holders)),
        Action.APPROVE: (holder, Approve("同意", next_holders=next_holders)),
        Action.RETURN: (holder, ReturnTo(ReturnTarget.PREVIOUS, "请修改")),
        Action.RESUBMIT: (holder, Resubmit()),
        Action.WITHDRAW: (handoff_by, Withdraw()),
        Action.TRANSFER: (holder, Transfer(COLLEAGUE.get(step, "reviewer-2") if step else "reviewer-2")),
        Action.ADD_COUNTERSIGNER: (holder, AddCountersigners(("office-c",))),
        Action.URGE: ("drafter" if holder != "drafter" else "reviewer", Urge("请尽快")),
        Action.EDIT: (holder, Edit("改字")),
        Action.SUBSTANTIVE_CHANGE: (holder, SubstantiveChange("改了金额")),
        Action.ASSIGN_NUMBER: (holder, AssignNumber(NUMBER)),
        Action.SEAL: (holder, Seal("seal-xs-gov", next_holders=("registrar",))),
        Action.DISPATCH: (holder, Dispatch()),
        Action.CANCEL: ("drafter", Cancel("不再需要")),
    }
    return table[action]


OUTSIDE = [pair for pair in itertools.product(DocState, Action) if pair not in TRANSITIONS]


@pytest.mark.parametrize(("state", "action"), OUTSIDE, ids=[f"{s}-{a}" for s, a in OUTSIDE])
def test_an_action_outside_the_table_is_refused_before_any_guard(make_driver, wide_roster, state, action) -> None:
    driver = reach(make_driver(standard_definition("xs-gov"), roster=wide_roster), state)
    actor, command = command_for(driver.flow, action)
    with pytest.raises(IllegalMove) as refused:
        driver.attempt(actor, command)
    assert type(refused.value) in (
        ActionNotAllowed,
        NumberingBeforeSignoff,
        EditAfterSealing,
        AlreadyNumbered,
    )
    assert refused.value.message  # a sentence for the user, never empty


INSIDE = sorted(TRANSITIONS.items(), key=lambda item: (ORDER.index(item[0][0]), list(Action).index(item[0][1])))


@pytest.mark.parametrize(("pair", "move"), INSIDE, ids=[f"{s}-{a}" for (s, a), _ in INSIDE])
def test_an_action_inside_the_table_leads_where_its_move_says(make_driver, wide_roster, pair, move) -> None:
    state, action = pair
    driver = make_driver(standard_definition("xs-gov"), roster=wide_roster)
    needs_return = action is Action.RESUBMIT or (action is Action.URGE and state is DocState.DRAFT)
    (reach_returned if needs_return else reach)(driver, state)
    before = driver.flow
    if state is DocState.REGISTERING and action is Action.APPROVE:
        driver.do("registrar", AssignNumber(NUMBER))
        before = driver.flow
    actor, command = command_for(before, action)
    outcome = driver.do(actor, command)
    after = outcome.flow.state
    assert (outcome.record.from_state, outcome.record.to_state) == (state, after)
    step = STEP_OF_STATE.get(state)
    expected: DocState | None
    if move is Move.STAY:
        expected = state
    elif move is Move.ADVANCE:
        assert step is not None
        following = before.definition.following(step)
        assert following is not None
        expected = STATE_OF_STEP[following]
    elif move is Move.BACK:
        expected = ORDER[ORDER.index(state) - 1]
    elif move is Move.STRAIGHT_BACK:
        assert before.returned_from is not None
        expected = STATE_OF_STEP[before.returned_from]
    elif move is Move.TO_SENDER:
        assert before.handoff is not None
        expected = STATE_OF_STEP[before.handoff.from_step]
    elif move is Move.TO_SIGNER:
        expected = DocState.AWAITING_SIGNOFF
    elif move is Move.FINISH:
        expected = DocState.DISPATCHED
    else:
        expected = DocState.WITHDRAWN
    assert after is expected
