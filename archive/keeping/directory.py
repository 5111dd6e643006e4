"""Who to tell: the people of a unit holding a role (the archivists when a package arrives, the registrars when it
is accepted or rejected), and names for the views."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oa.org.models import Person, PersonRole, Unit
from oa.org.roles import Role

COUNTY_ARCHIVES_CODE = "DAG"  # 象山县档案馆: its archivists supervise every unit's archive


async def holders_of(session: AsyncSession, unit_id: int, role: Role) -> list[int]:
    rows = await session.execute(
        select(Person.id).join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.unit_id == unit_id, PersonRole.role == role, Person.active.is_(True)).order_by(Person.id))
    return list(rows.scalars())


async def names_of(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, str]:
    ids = {i for i in person_ids if i is not None}
    if not ids:
        return {}
    rows = await session.execute(select(Person.id, Person.name).where(Person.id.in_(ids)))
    return {person_id: name for person_id, name in rows.tuples()}


async def unit_codes(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    ids = set(unit_ids)
    if not ids:
        return {}
    rows = await session.execute(select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(ids)))
    return {unit_id: (code, name) for unit_id, code, name in rows.tuples()}


async def county_archives(session: AsyncSession) -> Unit | None:
    return (await session.execute(select(Unit).where(Unit.code == COUNTY_ARCHIVES_CODE))).scalar_one_or_none()
