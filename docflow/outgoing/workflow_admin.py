"""Per-unit workflow settings (发文流程): read by the unit's people, changed by the system administrator.

The workflow is configuration, not document content, so it is the system administrator's (系统管理员) to change, for
any unit; the unit's own people may read it (the drafter sees which steps lie ahead). A definition is checked by
`WorkflowDefinition` itself (order of steps, required steps, optional ones, deadlines, 会签 policy): its
`DefinitionError` becomes a 422 with the rule's own message. New documents start with the stored definition;
documents already in flight keep the snapshot in their flow JSON, so a change never moves work under anyone's feet.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.admin_schemas import StepOut, WorkflowIn, WorkflowOut
from docflow.outgoing.directory import ROLE_LABELS, check_people
from docflow.outgoing.models import WorkflowSetting
from docflow.outgoing.settings import definition_for
from docflow.rules.workflow_definition import (
    CountersignPolicy,
    DefinitionError,
    StepDef,
    WorkflowDefinition,
    definition_to_dict,
)
from oa.auth.principal import Principal
from oa.errors import FieldError, Forbidden, InvalidInput, NotFound
from oa.org.models import Unit
from oa.org.roles import BUSINESS_ROLES, Role
from oa.uow import UnitOfWork

# Role names a step may use: the labels users know (核稿人, 登记员 …) and the role codes (reviewer …).
KNOWN_ROLES = frozenset(ROLE_LABELS) | frozenset(r.value for r in BUSINESS_ROLES)


async def read_workflow(session: AsyncSession, me: Principal, unit_id: int) -> WorkflowOut:
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    if not me.has(Role.SYSADMIN) and me.unit_id != unit_id:
        raise Forbidden("只能查看本单位的发文流程")
    row = await session.get(WorkflowSetting, unit_id)
    definition = await definition_for(session, unit_id)
    return workflow_out(unit, definition, row.updated_at if row else None, customised=row is not None)


async def save_workflow(uow: UnitOfWork, me: Principal, unit_id: int, data: WorkflowIn) -> WorkflowOut:
    if not me.has(Role.SYSADMIN):
        raise Forbidden("发文流程属于系统配置，由系统管理员设置")
    session = uow.session
    # Locking the unit row serialises two administrators saving the same unit's flow (one insert, not two).
    unit = (await session.execute(select(Unit).where(Unit.id == unit_id).with_for_update())).scalar_one_or_none()
    if unit is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    definition = _definition(unit.code, data)
    await check_people(session, [p for step in data.steps for p in step.people], "steps")
    row = await session.get(WorkflowSetting, unit_id)
    before = row.definition if row else None
    stored = definition_to_dict(definition)
    if row is None:
        row = WorkflowSetting(unit_id=unit_id, definition=stored, updated_at=uow.now)
        session.add(row)
    else:
        row.definition, row.updated_at = stored, uow.now
    await session.flush()
    uow.audit("docflow.workflow.update", target_type="unit", target_id=unit_id, unit_id=unit_id,
              detail={"before": before, "after": stored})
    return workflow_out(unit, definition, uow.now, customised=True)


def _definition(unit_code: str, data: WorkflowIn) -> WorkflowDefinition:
    """The engine's own definition, or a 422 naming the broken rule."""
    errors: list[FieldError] = []
    for index, step in enumerate(data.steps):
        if step.role is not None and step.role not in KNOWN_ROLES:
            known = "、".join(sorted(ROLE_LABELS))
            errors.append(FieldError(f"steps[{index}].role", f"未知角色“{step.role}”，可用：{known}"))
    if errors:
        raise InvalidInput("流程定义有误：" + "；".join(e.message for e in errors), errors=errors)
    try:
        steps = tuple(
            StepDef(kind=s.kind, role=s.role, people=frozenset(str(p) for p in s.people), optional=s.optional,
                    deadline_hours=s.deadline_hours, policy=CountersignPolicy(s.policy.kind, s.policy.quorum),
                    drafter_may_countersign=s.drafter_may_countersign)
            for s in data.steps
        )
        return WorkflowDefinition(unit_code, steps, name=data.name)
    except DefinitionError as exc:
        raise InvalidInput(f"流程定义有误：{exc}", errors=[FieldError("steps", str(exc))]) from exc


def workflow_out(unit: Unit, definition: WorkflowDefinition, updated_at: datetime | None, *,
                 customised: bool) -> WorkflowOut:
    data = definition_to_dict(definition)
    return WorkflowOut(
        unit_id=unit.id, unit_code=unit.code, name=data["name"], customised=customised, updated_at=updated_at,
        steps=[StepOut(kind=s["kind"], role=s["role"], people=[int(p) for p in s["people"]], optional=s["optional"],
                       deadline_hours=s["deadline_hours"], policy=s["policy"],
                       drafter_may_countersign=s["drafter_may_countersign"]) for s in data["steps"]],
    )
