"""Property tests: random sequences of actions by random people, on definitions with each 会签
policy. Whatever happens, either the engine refuses with an `IllegalMove` (and the flow stays as it
was) or the new flow keeps the invariants below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from docflow.rules.delegation import Delegation
from docflow.rules.workflow import Outcome, apply
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
from docflow.rules.workflow_definition import (
    ALL,
    ANY,
    StepKind,
    WorkflowDefinition,
    quorum,
    standard_definition,
)
from docflow.rules.workflow_errors import IllegalMove
from docflow.rules.workflow_events import NewTask
from docflow.rules.workflow_outcome import ChangeKind
from docflow.rules.workflow_state import (
    SIGNED_STATES,
    STEP_OF_STATE,
    TERMINAL_STATES,
    DocState,
    Flow,
    TaskOutcome,
    TaskStatus,
    start_flow,
)

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
PEOPLE = (
    "drafter",
    "reviewer",
    "reviewer-2",
    "office-a",
    "office-b",
    "office-c",
    "signer",
    "deputy-head",
    "registrar",
    "sealer",
    "stranger",
)
ROSTER = {
    "核稿人": frozenset({"reviewer", "reviewer-2"}),
    "签发人": frozenset({"signer", "deputy-head"}),
    "登记员": frozenset({"registrar"}),
    "用印员": frozenset({"sealer"}),
}
# The signer is away the whole time: the deputy head acts for them.
DELEGATIONS = (Delegation("signer", "deputy-head", T0, T0 + timedelta(days=365)),)
NUMBERS = ("象政发〔2026〕7号", "象政发〔2026〕8号")
STEPS = tuple(StepKind)

commands = st.one_of(
    st.builds(Submit, next_holders=st.sampled_from([(), ("reviewer",), ("reviewer-2",)])),
    st.builds(
        Approve,
        next_holders=st.sampled_from(
            [
                (),
                ("reviewer",),
                ("signer",),
                ("registrar",),
                ("sealer",),
                ("office-a", "office-b"),
                ("drafter",),
            ]
        ),
        skip=st.sampled_from([frozenset(), frozenset({StepKind.COUNTERSIGN}), frozenset({StepKind.RECHECK})]),
    ),
    st.builds(
        ReturnTo,
        target=st.sampled_from(list(ReturnTarget)),
        reason=st.just("请修改"),
        step=st.sampled_from(STEPS),
    ),
    st.just(Resubmit()),
    st.just(Withdraw()),
    st.builds(Transfer, to=st.sampled_from(PEOPLE)),
    st.builds(AddCountersigners, people=st.sampled_from([("office-c",), ("office-a",), ("drafter",), ("stranger",)])),
    st.just(Urge("请尽快")),
    st.builds(Edit, substantive=st.booleans()),
    st.just(SubstantiveChange("改了金额")),
    st.builds(AssignNumber, doc_number=st.sampled_from(NUMBERS)),
    st.just(Seal("seal-xs-gov")),
    st.just(Dispatch()),
)


def progress(flow: Flow, straight_back: bool) -> Command:
    """The ordinary next move in this state, so random runs also get deep into the flow."""
    if straight_back and flow.returned_from is not None:
        return Resubmit("已修改")
    match flow.state:
        case DocState.DRAFT:
            return Submit(next_holders=("reviewer",))
        case DocState.IN_REVIEW:
            return Approve("同意", next_holders=("office-a", "office-b"))
        case DocState.COUNTERSIGNING:
            return Approve("同意", next_holders=("signer",))
        case DocState.AWAITING_SIGNOFF:
            return Approve("同意", next_holders=("reviewer",))
        case DocState.RECHECK:
            return Approve("同意", next_holders=("registrar",))
        case DocState.REGISTERING:
            return AssignNumber(NUMBERS[0]) if flow.doc_number is None else Approve(next_holders=("sealer",))
        case DocState.SEALING:
            return Seal("seal-xs-gov", next_holders=("registrar",))
        case _:
            return Dispatch()


def check_invariants(before: Flow, outcome: Outcome) -> None:
    after = outcome.flow
    open_tasks = after.open_tasks
    # Open work belongs to the current step and round only (退回/撤回 leave nothing behind elsewhere).
    if after.state in TERMINAL_STATES:
        assert open_tasks == ()
    else:
        assert open_tasks, "a live document always has someone holding it"
        assert {t.step for t in open_tasks} == {STEP_OF_STATE[after.state]}
        assert {t.round for t in open_tasks} == {after.round}
    # Exactly one active holder unless countersigning.
    if after.state is not DocState.COUNTERSIGNING and after.state not in TERMINAL_STATES:
        assert len(open_tasks) == 1
    # Nobody holds two open countersign tasks at once.
    holders = [t.holder for t in open_tasks]
    assert len(holders) == len(set(holders))
    # The signature exists exactly after 签发 and before the end of the flow.
    if after.state in SIGNED_STATES:
        assert after.signoff is not None
    if after.state in (
        DocState.DRAFT,
        DocState.IN_REVIEW,
        DocState.COUNTERSIGNING,
        DocState.AWAITING_SIGNOFF,
    ):
        assert after.signoff is None
    # A number, once taken, is never replaced; it is only taken after 签发.
    if before.doc_number is not None:
        assert after.doc_number == before.doc_number
    elif after.doc_number is not None:
        assert before.state is DocState.REGISTERING and before.signoff is not None
    # Sealing is final.
    if before.sealed_at is not None:
        assert after.sealed_at == before.sealed_at
        assert after.state in (DocState.DISPATCHING, DocState.DISPATCHED)
    # History is append-only: closed tasks never change, ids are unique and increasing.
    old = {t.id: t for t in before.tasks}
    for task in after.tasks:
        if task.id in old and not old[task.id].is_open:
            assert task == old[task.id]
    ids = [t.id for t in after.tasks]
    assert ids == sorted(set(ids))
    # The task changes describe exactly the difference, and every created task is announced.
    created = {c.task.id for c in outcome.task_changes if c.kind is ChangeKind.CREATED}
    closed = {c.task.id for c in outcome.task_changes if c.kind is ChangeKind.CLOSED}
    assert created == set(ids) - set(old)
    assert closed == {t.id for t in after.tasks if t.id in old and t != old[t.id]}
    assert all(old[i].is_open and after.task(i).status is not TaskStatus.OPEN for i in closed)
    announced = {e.task_id for e in outcome.events if isinstance(e, NewTask)}
    assert announced == created
    assert (outcome.record.from_state, outcome.record.to_state) == (before.state, after.state)
    if outcome.record.action is Action.RETURN:
        assert after.returned_from is not None and after.handoff is None
    if outcome.record.action is Action.WITHDRAW:
        assert before.handoff is not None
        assert [t.holder for t in open_tasks] == [before.handoff.sender]
        assert after.step is before.handoff.from_step


def run(definition: WorkflowDefinition, data: st.DataObject, length: int) -> Flow:
    flow = start_flow("doc-p", "drafter", definition, T0)
    now = T0
    for _ in range(length):
        now += timedelta(minutes=7)
        holders = [t.holder for t in flow.open_tasks] or ["drafter"]
        roll = data.draw(st.integers(0, 99), label="roll")
        command: Command
        if roll < 2:
            actor, command = "drafter", Cancel("不再需要")
        elif roll < 50:
            actor = data.draw(st.sampled_from([*holders, "deputy-head"]), label="holder")
            command = progress(flow, straight_back=roll % 2 == 0)
        else:
            actor = data.draw(st.one_of(st.sampled_from(holders), st.sampled_from(PEOPLE)), label="actor")
            command = data.draw(commands, label="command")
        try:
            outcome = apply(flow, actor, command, now, roster=ROSTER, delegations=DELEGATIONS)
        except IllegalMove as refused:
            assert refused.message and refused.code.startswith("workflow.")
            continue
        check_invariants(flow, outcome)
        flow = outcome.flow
    # Statistics (pytest --hypothesis-show-statistics) show how far random runs get.
    event(f"final state {flow.state}")
    return flow


DEFINITIONS = {
    "all": standard_definition("xs-gov", policy=ALL),
    "any": standard_definition("xs-gov", policy=ANY),
    "quorum-2": standard_definition("xs-gov", policy=quorum(2)),
}


@pytest.mark.parametrize("policy", sorted(DEFINITIONS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), length=st.integers(min_value=1, max_value=60))
def test_random_action_sequences_keep_the_invariants(policy: str, data: st.DataObject, length: int) -> None:
    run(DEFINITIONS[policy], data, length)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_document_that_reaches_dispatch_was_signed_numbered_and_sealed_once(data: st.DataObject) -> None:
    flow = run(DEFINITIONS["all"], data, 80)
    if flow.state is DocState.DISPATCHED:
        assert flow.signoff is not None and flow.doc_number in NUMBERS and flow.sealed_at is not None
        sealed = [t for t in flow.tasks if t.outcome is TaskOutcome.SEALED]
        assert len(sealed) == 1
