"""Builders for the pure workflow tests: a unit's roster, definitions, and a driver that applies
actions one after another with a clock that moves forward."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from docflow.rules.delegation import Delegation
from docflow.rules.workflow import Outcome, apply
from docflow.rules.workflow_commands import (
    Approve,
    AssignNumber,
    Command,
    Dispatch,
    Seal,
    Submit,
)
from docflow.rules.workflow_definition import (
    CountersignPolicy,
    StepDef,
    StepKind,
    WorkflowDefinition,
    standard_definition,
)
from docflow.rules.workflow_state import DocState, Flow, Task, start_flow

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DRAFTER = "drafter"
REVIEWER = "reviewer"
SIGNER = "signer"
REGISTRAR = "registrar"
SEALER = "sealer"
OFFICES = ("office-a", "office-b", "office-c")
NUMBER = "象政发〔2026〕1号"

# A roster where every step has a colleague to 转交 to (so nothing is assigned by default).
WIDE_ROSTER: dict[str, frozenset[str]] = {
    "核稿人": frozenset({REVIEWER, "reviewer-2"}),
    "签发人": frozenset({SIGNER, "deputy-head"}),
    "登记员": frozenset({REGISTRAR, "registrar-2"}),
    "用印员": frozenset({SEALER, "sealer-2"}),
}
ROSTER: dict[str, frozenset[str]] = {
    "核稿人": frozenset({REVIEWER}),
    "签发人": frozenset({SIGNER, "deputy-head"}),
    "登记员": frozenset({REGISTRAR}),
    "用印员": frozenset({SEALER}),
}


class Driver:
    """Applies actions to one flow, five minutes apart, keeping every outcome."""

    def __init__(
        self,
        definition: WorkflowDefinition,
        *,
        delegations: Sequence[Delegation] = (),
        roster: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.now = T0
        self.flow: Flow = start_flow("doc-1", DRAFTER, definition, T0)
        self.delegations = list(delegations)
        self.roster = ROSTER if roster is None else roster
        self.outcomes: list[Outcome] = []

    def do(self, actor: str, command: Command, *, minutes: int = 5) -> Outcome:
        self.now += timedelta(minutes=minutes)
        outcome = apply(self.flow, actor, command, self.now, roster=self.roster, delegations=self.delegations)
        self.flow = outcome.flow
        self.outcomes.append(outcome)
        return outcome

    def attempt(self, actor: str, command: Command) -> Outcome:
        """Apply without advancing the driver's flow (to check a refusal or peek at an outcome)."""
        return apply(self.flow, actor, command, self.now, roster=self.roster, delegations=self.delegations)

    @property
    def state(self) -> DocState:
        return self.flow.state

    def open_tasks(self) -> tuple[Task, ...]:
        return self.flow.open_tasks

    def holders(self) -> list[str]:
        return sorted(task.holder for task in self.flow.open_tasks)

    # The happy path, one stop at a time, so tests can start from any state.
    def to_review(self) -> Driver:
        self.do(DRAFTER, Submit(next_holders=(REVIEWER,)))
        return self

    def to_countersign(self, *offices: str) -> Driver:
        self.to_review().do(REVIEWER, Approve("格式无误", next_holders=offices or OFFICES[:2]))
        return self

    def to_signoff(self) -> Driver:
        self.to_countersign()
        for task in self.flow.open_tasks:
            if self.state is DocState.COUNTERSIGNING:
                self.do(task.holder, Approve("无意见", next_holders=(SIGNER,)))
        return self

    def to_recheck(self) -> Driver:
        self.to_signoff().do(SIGNER, Approve("同意印发", next_holders=(REVIEWER,)))
        return self

    def to_registering(self) -> Driver:
        self.to_recheck().do(REVIEWER, Approve("复核无误", next_holders=(REGISTRAR,)))
        return self

    def to_sealing(self) -> Driver:
        self.to_registering().do(REGISTRAR, AssignNumber(NUMBER))
        self.do(REGISTRAR, Approve("已登记", next_holders=(SEALER,)))
        return self

    def to_dispatching(self) -> Driver:
        self.to_sealing().do(SEALER, Seal("seal-xs-gov", next_holders=(REGISTRAR,)))
        return self

    def to_dispatched(self) -> Driver:
        self.to_dispatching().do(REGISTRAR, Dispatch("核发"))
        return self


def definition_with(policy: CountersignPolicy | None = None, **countersign: object) -> WorkflowDefinition:
    """The standard definition with the 会签 step adjusted (policy, drafter_may_countersign, …)."""
    base = standard_definition("xs-gov") if policy is None else standard_definition("xs-gov", policy=policy)
    steps = tuple(
        StepDef(**{**step.__dict__, **countersign}) if step.kind is StepKind.COUNTERSIGN else step  # type: ignore[arg-type]
        for step in base.steps
    )
    return WorkflowDefinition("xs-gov", steps)


@pytest.fixture
def driver() -> Driver:
    return Driver(standard_definition("xs-gov"))


@pytest.fixture(scope="session")
def make_driver() -> Callable[..., Driver]:
    """Driver(definition, delegations=..., roster=...) — test modules cannot import conftest."""
    return Driver


@pytest.fixture(scope="session")
def wide_roster() -> dict[str, frozenset[str]]:
    return WIDE_ROSTER


@pytest.fixture(scope="session")
def countersign_definition() -> Callable[..., WorkflowDefinition]:
    """definition_with(policy, **countersign_step_fields)."""
    return definition_with
