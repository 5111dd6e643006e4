"""Per-unit workflow settings: the stored definition, or the standard eight-step flow when none is stored."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import WorkflowSetting
from docflow.rules.workflow_definition import WorkflowDefinition, definition_from_dict, standard_definition
from oa.org.models import Unit


async def definition_for(session: AsyncSession, unit_id: int) -> WorkflowDefinition:
    row = await session.get(WorkflowSetting, unit_id)
    if row is not None:
        return definition_from_dict(row.definition)
    code = (await session.execute(select(Unit.code).where(Unit.id == unit_id))).scalar_one()
    return standard_definition(code)
