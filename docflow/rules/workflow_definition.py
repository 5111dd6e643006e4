"""A unit's outgoing-document workflow: which steps, who may hold each, deadlines, 会签 policy.

The canonical order is 拟稿 → 核稿 → 会签 → 签发 → 复核 → 登记 → 用印 → 核发 (domain.md §3). A unit
may leave out steps (a small office has no 复核) or mark them optional (the sender decides per
document whether 会签 is needed), but never reorder them: 登记 after 签发 is what guarantees a
number is never taken before sign-off. Each kind appears at most once, so a step is named by its
`StepKind` everywhere (a deliberate simplification: two 核稿 rounds would need step ids).

Who may hold a step is a role and/or named people. Roles are resolved through a `Roster` the use
case loads from the org directory, so this module stays pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class StepKind(StrEnum):
    DRAFT = "拟稿"
    REVIEW = "核稿"
    COUNTERSIGN = "会签"
    SIGNOFF = "签发"
    RECHECK = "复核"
    REGISTER = "登记"
    SEAL = "用印"
    DISPATCH = "核发"


CANONICAL_ORDER: tuple[StepKind, ...] = tuple(StepKind)
# Without these the document cannot be issued: signed, numbered, sent.
REQUIRED_STEPS = frozenset({StepKind.DRAFT, StepKind.SIGNOFF, StepKind.REGISTER, StepKind.DISPATCH})


class PolicyKind(StrEnum):
    ALL = "all"  # every countersigner must approve
    ANY = "any"  # 或签: the first approval completes the step
    QUORUM = "quorum"  # n approvals complete the step


@dataclass(frozen=True)
class CountersignPolicy:
    kind: PolicyKind = PolicyKind.ALL
    quorum: int = 0

    def __post_init__(self) -> None:
        if self.kind is PolicyKind.QUORUM and self.quorum < 1:
            raise DefinitionError("会签的法定人数（quorum）至少为 1")

    def is_complete(self, approved: int, assigned: int) -> bool:
        """Whether `approved` of `assigned` live countersign tasks complete the step.

        A quorum larger than the round (e.g. a round re-opened for one person after 撤回) is capped at
        the round's size, otherwise the step could never complete.
        """
        if assigned == 0:
            return False
        if self.kind is PolicyKind.ALL:
            return approved >= assigned
        if self.kind is PolicyKind.ANY:
            return approved >= 1
        return approved >= min(self.quorum, assigned)


ALL = CountersignPolicy(PolicyKind.ALL)
ANY = CountersignPolicy(PolicyKind.ANY)


def quorum(n: int) -> CountersignPolicy:
    return CountersignPolicy(PolicyKind.QUORUM, n)


class DefinitionError(ValueError):
    """A workflow definition breaks a structural rule; the message says which."""


@dataclass(frozen=True)
class StepDef:
    """One step of a unit's workflow.

    `role`/`people` name who may hold it; with neither, the sender may name anyone (useful for 会签
    across co-issuing organs). `deadline_hours` is per task, counted from its creation.
    """

    kind: StepKind
    role: str | None = None
    people: frozenset[str] = frozenset()
    optional: bool = False
    deadline_hours: int | None = None
    policy: CountersignPolicy = ALL
    drafter_may_countersign: bool = False

    def __post_init__(self) -> None:
        if self.optional and self.kind in REQUIRED_STEPS:
            raise DefinitionError(f"“{self.kind}”是必经环节，不能设为可选")
        if self.deadline_hours is not None and self.deadline_hours <= 0:
            raise DefinitionError(f"“{self.kind}”的办理时限应为正数小时")


Roster = Mapping[str, frozenset[str]]
"""role name → the people who hold it, as loaded from the org directory at the time of the action."""


@dataclass(frozen=True)
class WorkflowDefinition:
    """A unit's outgoing-document workflow; a flow keeps the snapshot it started with."""

    unit_code: str
    steps: tuple[StepDef, ...]
    name: str = "发文流程"
    _by_kind: dict[StepKind, StepDef] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        kinds = [step.kind for step in self.steps]
        if len(set(kinds)) != len(kinds):
            raise DefinitionError("同一环节在流程中只能出现一次")
        if kinds != sorted(kinds, key=CANONICAL_ORDER.index):
            order = " → ".join(CANONICAL_ORDER)
            raise DefinitionError(f"环节顺序必须符合 {order}")
        missing = REQUIRED_STEPS - set(kinds)
        if missing:
            names = "、".join(kind for kind in CANONICAL_ORDER if kind in missing)
            raise DefinitionError(f"流程缺少必经环节：{names}")
        object.__setattr__(self, "_by_kind", {step.kind: step for step in self.steps})

    def step(self, kind: StepKind) -> StepDef:
        try:
            return self._by_kind[kind]
        except KeyError:
            raise DefinitionError(f"本单位的发文流程不含“{kind}”环节") from None

    def has(self, kind: StepKind) -> bool:
        return kind in self._by_kind

    def position(self, kind: StepKind) -> int:
        return CANONICAL_ORDER.index(kind)

    def following(self, kind: StepKind, skip: frozenset[StepKind] = frozenset()) -> StepKind | None:
        """The next step after `kind`, leaving out optional steps named in `skip`; None after 核发."""
        for step in self.steps:
            if self.position(step.kind) <= self.position(kind):
                continue
            if step.optional and step.kind in skip:
                continue
            return step.kind
        return None

    def candidates(self, kind: StepKind, roster: Roster) -> frozenset[str] | None:
        """Who may hold the step; None means anyone (no role and no named people)."""
        step = self.step(kind)
        if step.role is None and not step.people:
            return None
        from_role = roster.get(step.role, frozenset()) if step.role is not None else frozenset()
        return step.people | from_role


def standard_definition(unit_code: str, *, policy: CountersignPolicy = ALL) -> WorkflowDefinition:
    """The full eight-step flow with conventional roles; units start from this and adjust."""
    return WorkflowDefinition(
        unit_code,
        (
            StepDef(StepKind.DRAFT),
            StepDef(StepKind.REVIEW, role="核稿人", deadline_hours=24),
            StepDef(StepKind.COUNTERSIGN, optional=True, deadline_hours=48, policy=policy),
            StepDef(StepKind.SIGNOFF, role="签发人", deadline_hours=48),
            StepDef(StepKind.RECHECK, role="核稿人", optional=True, deadline_hours=8),
            StepDef(StepKind.REGISTER, role="登记员", deadline_hours=8),
            StepDef(StepKind.SEAL, role="用印员", deadline_hours=8),
            StepDef(StepKind.DISPATCH, role="登记员", deadline_hours=8),
        ),
    )


def definition_to_dict(definition: WorkflowDefinition) -> dict[str, Any]:
    """Plain data for the snapshot a flow keeps (a JSON column) and for the admin API."""
    return {
        "unit_code": definition.unit_code,
        "name": definition.name,
        "steps": [
            {
                "kind": step.kind.value,
                "role": step.role,
                "people": sorted(step.people),
                "optional": step.optional,
                "deadline_hours": step.deadline_hours,
                "policy": {"kind": step.policy.kind.value, "quorum": step.policy.quorum},
                "drafter_may_countersign": step.drafter_may_countersign,
            }
            for step in definition.steps
        ],
    }


def definition_from_dict(data: Mapping[str, Any]) -> WorkflowDefinition:
    """Read a stored definition; raise DefinitionError naming what is wrong."""
    try:
        steps = tuple(
            StepDef(
                kind=StepKind(item["kind"]),
                role=item.get("role"),
                people=frozenset(item.get("people", ())),
                optional=bool(item.get("optional", False)),
                deadline_hours=item.get("deadline_hours"),
                policy=CountersignPolicy(PolicyKind(item["policy"]["kind"]), int(item["policy"].get("quorum", 0)))
                if item.get("policy")
                else ALL,
                drafter_may_countersign=bool(item.get("drafter_may_countersign", False)),
            )
            for item in data["steps"]
        )
        return WorkflowDefinition(str(data["unit_code"]), steps, name=str(data.get("name", "发文流程")))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, DefinitionError):
            raise
        raise DefinitionError(f"发文流程定义无法读取：{exc!r}") from exc
