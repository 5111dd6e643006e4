"""The workbench badges the event stream carries: 待办 (todo), 超期 (overdue), 待阅 (to_read), 未签收 (unsigned).

Each count is the same query the corresponding list uses, so a badge never disagrees with the list it opens.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.incoming.queries import box_query as incoming_box
from docflow.outgoing import queries as outgoing
from oa.auth.principal import Principal
from oa.auth.service import principal_of
from oa.database import utcnow
from oa.notify.badges import register_badge_provider
from oa.org.models import Person
from oa.org.roles import BUSINESS_ROLES, Role


async def _principal(session: AsyncSession, person_id: int) -> Principal | None:
    person = await session.get(Person, person_id)
    if person is None or not person.role_set & BUSINESS_ROLES:
        return None  # administrators handle no documents: no document badges
    return principal_of(person, None)


async def _incoming(session: AsyncSession, me: Principal, box: str) -> int:
    query = incoming_box(me, box)
    return int((await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one())


async def count_todo(session: AsyncSession, person_id: int) -> int:
    me = await _principal(session, person_id)
    if me is None:
        return 0
    mine = await outgoing.counts(session, me, utcnow())
    return mine["todo"] + await _incoming(session, me, "todo")


async def count_overdue(session: AsyncSession, person_id: int) -> int:
    me = await _principal(session, person_id)
    return 0 if me is None else (await outgoing.counts(session, me, utcnow()))["overdue"]


async def count_to_read(session: AsyncSession, person_id: int) -> int:
    me = await _principal(session, person_id)
    return 0 if me is None else await _incoming(session, me, "toread")


async def count_unsigned(session: AsyncSession, person_id: int) -> int:
    me = await _principal(session, person_id)
    # 签收 is the registrar's job; other staff of the unit are not asked to act on it.
    if me is None or not me.has(Role.REGISTRAR):
        return 0
    return await _incoming(session, me, "unsigned")


def register_docflow_badges() -> None:
    register_badge_provider("todo", count_todo)
    register_badge_provider("overdue", count_overdue)
    register_badge_provider("to_read", count_to_read)
    register_badge_provider("unsigned", count_unsigned)
