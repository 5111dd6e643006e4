"""Workflow definitions (structure rules, policies), 委托 resolution and deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from docflow.rules.deadlines import near_deadline_tasks, overdue_tasks, reminders, time_left
from docflow.rules.delegation import Delegation, DelegationError, effective_holder, may_act_for, tasks_visible_to
from docflow.rules.workflow_commands import Approve, Submit
from docflow.rules.workflow_definition import (
    ANY,
    CountersignPolicy,
    DefinitionError,
    PolicyKind,
    StepDef,
    StepKind,
    WorkflowDefinition,
    quorum,
    standard_definition,
)
from docflow.rules.workflow_events import NearDeadline, Overdue
from docflow.rules.workflow_state import DocState, Task, TaskStatus

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def minimal(*extra: StepDef) -> tuple[StepDef, ...]:
    core = {
        StepKind.DRAFT: StepDef(StepKind.DRAFT),
        StepKind.SIGNOFF: StepDef(StepKind.SIGNOFF, people=frozenset({"head"})),
        StepKind.REGISTER: StepDef(StepKind.REGISTER, people=frozenset({"clerk"})),
        StepKind.DISPATCH: StepDef(StepKind.DISPATCH, people=frozenset({"clerk"})),
    }
    for step in extra:
        core[step.kind] = step
    return tuple(sorted(core.values(), key=lambda s: list(StepKind).index(s.kind)))


# Definitions --------------------------------------------------------------------------------------


def test_a_small_office_flow_without_optional_steps_runs_to_dispatch(make_driver) -> None:
    from docflow.rules.workflow_commands import AssignNumber, Dispatch

    d = make_driver(WorkflowDefinition("xs-small", minimal()))
    d.do("drafter", Submit())
    assert d.state is DocState.AWAITING_SIGNOFF and d.holders() == ["head"]
    d.do("head", Approve("同意"))
    d.do("clerk", AssignNumber("象政办〔2026〕3号"))
    d.do("clerk", Approve())
    assert d.state is DocState.DISPATCHING, "without 用印 the flow goes from 登记 to 核发"
    d.do("clerk", Dispatch())
    assert d.state is DocState.DISPATCHED


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (minimal()[1:], "缺少必经环节：拟稿"),
        (tuple(reversed(minimal())), "环节顺序"),
        ((*minimal(), StepDef(StepKind.DRAFT)), "只能出现一次"),
    ],
)
def test_a_malformed_definition_is_refused(steps: tuple[StepDef, ...], message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        WorkflowDefinition("xs", steps)


def test_required_steps_cannot_be_optional_and_deadlines_are_positive() -> None:
    with pytest.raises(DefinitionError, match="必经环节"):
        StepDef(StepKind.SIGNOFF, optional=True)
    with pytest.raises(DefinitionError, match="正数"):
        StepDef(StepKind.REVIEW, deadline_hours=0)
    with pytest.raises(DefinitionError, match="quorum"):
        quorum(0)


@pytest.mark.parametrize(
    ("policy", "approved", "assigned", "complete"),
    [
        (CountersignPolicy(), 2, 3, False),
        (CountersignPolicy(), 3, 3, True),
        (ANY, 1, 5, True),
        (ANY, 0, 5, False),
        (quorum(2), 1, 3, False),
        (quorum(2), 2, 3, True),
        (quorum(3), 1, 1, True),  # a round re-opened for one person cannot wait for three
        (CountersignPolicy(PolicyKind.ALL), 0, 0, False),
    ],
)
def test_policies_decide_completion(policy: CountersignPolicy, approved: int, assigned: int, complete: bool) -> None:
    assert policy.is_complete(approved, assigned) is complete


def test_following_skips_only_the_optional_steps_asked_for() -> None:
    definition = standard_definition("xs")
    assert definition.following(StepKind.REVIEW) is StepKind.COUNTERSIGN
    assert definition.following(StepKind.REVIEW, frozenset({StepKind.COUNTERSIGN})) is StepKind.SIGNOFF
    assert definition.following(StepKind.DISPATCH) is None


def test_candidates_come_from_the_role_and_named_people() -> None:
    definition = WorkflowDefinition("xs", minimal(StepDef(StepKind.REVIEW, role="核稿人", people=frozenset({"x"}))))
    assert definition.candidates(StepKind.REVIEW, {"核稿人": frozenset({"y"})}) == {"x", "y"}
    assert definition.candidates(StepKind.REVIEW, {}) == {"x"}


def test_fixed_countersigning_offices_are_assigned_by_default(make_driver) -> None:
    offices = frozenset({"xs-fgj", "xs-czj", "drafter"})
    definition = WorkflowDefinition("xs", minimal(StepDef(StepKind.COUNTERSIGN, people=offices)))
    d = make_driver(definition)
    d.do("drafter", Submit())
    assert d.holders() == ["xs-czj", "xs-fgj"], "the drafter is left out when they may not countersign"


# 委托 -----------------------------------------------------------------------------------------------


def test_effective_holder_follows_an_active_delegation_and_chains() -> None:
    a_to_b = Delegation("a", "b", T0, T0 + timedelta(days=2))
    b_to_c = Delegation("b", "c", T0 + timedelta(days=1), T0 + timedelta(days=3))
    assert effective_holder("a", [a_to_b, b_to_c], T0) == "b"
    assert effective_holder("a", [a_to_b, b_to_c], T0 + timedelta(days=1)) == "c"
    assert effective_holder("a", [a_to_b, b_to_c], T0 + timedelta(days=2)) == "a", "the end is exclusive"


def test_a_delegation_cycle_resolves_to_the_person_themselves() -> None:
    cycle = [Delegation("a", "b", T0, T0 + timedelta(days=1)), Delegation("b", "a", T0, T0 + timedelta(days=1))]
    assert effective_holder("a", cycle, T0) == "a"


def test_the_latest_delegation_wins_and_the_delegator_can_still_act() -> None:
    older = Delegation("a", "b", T0, T0 + timedelta(days=5))
    newer = Delegation("a", "c", T0 + timedelta(days=1), T0 + timedelta(days=2))
    now = T0 + timedelta(days=1, hours=1)
    assert effective_holder("a", [older, newer], now) == "c"
    assert may_act_for("a", "a", [older, newer], now)
    assert may_act_for("c", "a", [older, newer], now) and not may_act_for("b", "a", [older, newer], now)


def test_a_delegation_to_oneself_or_with_an_empty_period_is_refused() -> None:
    with pytest.raises(DelegationError):
        Delegation("a", "a", T0, T0 + timedelta(days=1))
    with pytest.raises(DelegationError):
        Delegation("a", "b", T0, T0)


def test_the_delegate_sees_the_delegators_open_tasks() -> None:
    tasks = [
        Task(1, StepKind.SIGNOFF, "a", 1, T0),
        Task(2, StepKind.SIGNOFF, "x", 1, T0),
        Task(3, StepKind.SIGNOFF, "a", 1, T0, status=TaskStatus.DONE),
    ]
    delegation = [Delegation("a", "b", T0, T0 + timedelta(days=1))]
    assert [t.id for t in tasks_visible_to("b", tasks, delegation, T0)] == [1]


# Deadlines ----------------------------------------------------------------------------------------


def test_overdue_and_near_deadline_tasks_are_found_in_order() -> None:
    tasks = [
        Task(1, StepKind.REVIEW, "r", 1, T0, due_at=T0 + timedelta(hours=1)),
        Task(2, StepKind.REVIEW, "r", 1, T0, due_at=T0 - timedelta(hours=2)),
        Task(3, StepKind.REVIEW, "r", 1, T0, due_at=T0 + timedelta(hours=10)),
        Task(4, StepKind.REVIEW, "r", 1, T0),
        Task(5, StepKind.REVIEW, "r", 1, T0, due_at=T0 - timedelta(hours=5), status=TaskStatus.DONE),
    ]
    now = T0 + timedelta(minutes=1)
    assert [t.id for t in overdue_tasks(tasks, now)] == [2]
    assert [t.id for t in near_deadline_tasks(tasks, now)] == [1]
    assert time_left(tasks[0], now) == timedelta(minutes=59) and time_left(tasks[3], now) is None


def test_reminders_tell_the_holder_their_delegate_and_the_drafter_once(make_driver) -> None:
    d = make_driver(standard_definition("xs"))
    d.to_review()  # 核稿 has a 24-hour deadline
    (task,) = d.open_tasks()
    away = [Delegation("reviewer", "reviewer-deputy", T0, T0 + timedelta(days=5))]
    assert task.due_at is not None
    near = reminders(d.flow, task.due_at - timedelta(hours=1), delegations=away)
    assert [type(e) for e in near] == [NearDeadline] and near[0].recipients == ("reviewer", "reviewer-deputy")
    late = reminders(d.flow, task.due_at + timedelta(hours=1), delegations=away)
    assert isinstance(late[0], Overdue)
    assert late[0].recipients == ("reviewer", "reviewer-deputy", "drafter")
    assert reminders(d.flow, task.due_at + timedelta(hours=1), already_reminded={task.id}) == []


def test_a_definition_survives_a_round_trip_through_plain_data() -> None:
    from docflow.rules.workflow_definition import definition_from_dict, definition_to_dict

    definition = standard_definition("xs-gov", policy=quorum(2))
    assert definition_from_dict(definition_to_dict(definition)) == definition


def test_a_stored_definition_that_breaks_the_rules_is_refused_when_read() -> None:
    from docflow.rules.workflow_definition import definition_from_dict, definition_to_dict

    data = definition_to_dict(standard_definition("xs-gov"))
    data["steps"] = data["steps"][1:]
    with pytest.raises(DefinitionError, match="拟稿"):
        definition_from_dict(data)
    with pytest.raises(DefinitionError, match="无法读取"):
        definition_from_dict({"unit_code": "xs", "steps": [{"kind": "盖章"}]})
