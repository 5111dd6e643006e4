"""The workbench badges the event stream carries: 待办 (todo), 超期 (overdue), 待阅 (to_read), 未签收 (unsigned).

Counted for a batch of people at once, in five statements whatever the batch's size: who they are (unit, office,
roles), whose work they hold by 委托, the open outgoing tasks of all those holders, the open incoming documents of
their units, and their unread circulations. Each count applies the same conditions as the list it opens
(`docflow.outgoing.queries.todo`, `docflow.incoming.queries.box_query`), and a test holds the two together for
every person of the demo county.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.incoming.models import IncomingDocument, IncomingReader
from docflow.incoming.queries import REGISTRAR_TODO
from docflow.incoming.rules import State
from docflow.outgoing.models import Delegation, DocumentTask
from docflow.rules.workflow_state import TaskStatus
from oa.database import utcnow
from oa.notify.badges import register_badges
from oa.org.models import Person, PersonRole
from oa.org.roles import BUSINESS_ROLES, Role

BADGES = ("todo", "overdue", "to_read", "unsigned")
_OPEN_INCOMING = (State.RECEIVED, State.PROPOSED, State.IN_PROGRESS, *REGISTRAR_TODO)


async def count_docflow_badges(session: AsyncSession, person_ids: Sequence[int],
                               now: datetime | None = None) -> dict[int, dict[str, int]]:
    now = now or utcnow()
    staff = await _business_staff(session, person_ids)
    if not staff:
        return {}  # administrators handle no documents: no document badges
    ids = list(staff)
    holders = await _holders(session, ids, now)
    tasks = await _open_tasks(session, {h for hs in holders.values() for h in hs}, now)
    incoming = await _open_incoming(session, {s.unit_id for s in staff.values()})
    unread = await _unread(session, ids)

    counts: dict[int, dict[str, int]] = {}
    for pid, me in staff.items():
        todo = sum(tasks[h][0] for h in holders[pid] if h in tasks)
        overdue = sum(tasks[h][1] for h in holders[pid] if h in tasks)
        mine = incoming.get(me.unit_id, [])
        todo += sum(n for state, leader, office, n in mine
                    if (state is State.PROPOSED and leader == pid)
                    or (me.registrar and state in REGISTRAR_TODO)
                    or (state is State.IN_PROGRESS and me.office_id is not None and office == me.office_id))
        # 签收 is the registrar's job; other staff of the unit are not asked to act on it.
        unsigned = sum(n for state, _, _, n in mine if state is State.RECEIVED) if me.registrar else 0
        counts[pid] = {"todo": todo, "overdue": overdue, "to_read": unread.get((pid, me.unit_id), 0),
                       "unsigned": unsigned}
    return counts


@dataclass(frozen=True, slots=True)
class _Staff:
    unit_id: int
    office_id: int | None
    registrar: bool


async def _business_staff(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, _Staff]:
    """The people who hold a business role (the three administrators have none), with their unit and office."""
    rows = (await session.execute(
        select(Person.id, Person.unit_id, Person.office_id, PersonRole.role)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.id.in_(person_ids))
    )).all()
    roles: dict[int, set[Role]] = defaultdict(set)
    where: dict[int, tuple[int, int | None]] = {}
    for pid, unit_id, office_id, role in rows:
        roles[pid].add(role)
        where[pid] = (unit_id, office_id)
    return {pid: _Staff(*where[pid], registrar=Role.REGISTRAR in mine)
            for pid, mine in roles.items() if mine & BUSINESS_ROLES}


async def _holders(session: AsyncSession, person_ids: list[int], now: datetime) -> dict[int, set[int]]:
    """Whose open tasks each person does: their own and those of people who delegated to them (委托 in force)."""
    holders = {pid: {pid} for pid in person_ids}
    rows = await session.execute(select(Delegation.delegate_id, Delegation.person_id).where(
        Delegation.delegate_id.in_(person_ids), Delegation.revoked_at.is_(None), Delegation.starts_at <= now,
        Delegation.ends_at > now,
    ))
    for delegate, delegator in rows.all():
        holders[delegate].add(delegator)
    return holders


async def _open_tasks(session: AsyncSession, holders: set[int], now: datetime) -> dict[int, tuple[int, int]]:
    """Per holder: open tasks, and of them the overdue ones (the tasks alone, as the 待办 count: every task has its
    document, and joining them read each document of a long list)."""
    overdue = func.count().filter(DocumentTask.due_at.is_not(None), DocumentTask.due_at < now)
    rows = await session.execute(
        select(DocumentTask.holder_id, func.count(), overdue)
        .where(DocumentTask.status == TaskStatus.OPEN, DocumentTask.holder_id.in_(sorted(holders)))
        .group_by(DocumentTask.holder_id)
    )
    return {holder: (int(total), int(late)) for holder, total, late in rows.all()}


async def _open_incoming(session: AsyncSession, units: set[int]
                         ) -> dict[int, list[tuple[State, int | None, int | None, int]]]:
    """Per unit: the incoming documents waiting for someone, by state, leader and lead office."""
    rows = await session.execute(
        select(IncomingDocument.unit_id, IncomingDocument.state, IncomingDocument.leader_id,
               IncomingDocument.lead_office_id, func.count())
        .where(IncomingDocument.unit_id.in_(sorted(units)), IncomingDocument.state.in_(_OPEN_INCOMING))
        .group_by(IncomingDocument.unit_id, IncomingDocument.state, IncomingDocument.leader_id,
                  IncomingDocument.lead_office_id)
    )
    found: dict[int, list[tuple[State, int | None, int | None, int]]] = defaultdict(list)
    for unit_id, state, leader, office, n in rows.all():
        found[unit_id].append((State(state), leader, office, int(n)))
    return found


async def _unread(session: AsyncSession, person_ids: list[int]) -> dict[tuple[int, int], int]:
    """Per (reader, unit of the document): circulated documents not yet read."""
    rows = await session.execute(
        select(IncomingReader.person_id, IncomingDocument.unit_id, func.count())
        .join(IncomingDocument, IncomingDocument.id == IncomingReader.incoming_id)
        .where(IncomingReader.person_id.in_(person_ids), IncomingReader.read_at.is_(None))
        .group_by(IncomingReader.person_id, IncomingDocument.unit_id)
    )
    return {(pid, unit_id): int(n) for pid, unit_id, n in rows.all()}


def register_docflow_badges() -> None:
    register_badges("docflow", BADGES, count_docflow_badges)
