"""What the workflow needs from the organisation: the roster of a unit (role → people), who may be named as a
holder, delegations in force, and names for display."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import Delegation as DelegationRow
from docflow.rules.delegation import Delegation
from docflow.rules.workflow_definition import Roster
from oa.database import driver, is_postgresql, table_of
from oa.errors import FieldError, InvalidInput
from oa.org.models import Person, PersonRole
from oa.org.roles import BUSINESS_ROLES, Role

# The standard definition names holders by the role labels users know; both labels and codes resolve.
ROLE_LABELS: dict[str, Role] = {
    "拟稿人": Role.DRAFTER, "核稿人": Role.REVIEWER, "签发人": Role.SIGNER, "登记员": Role.REGISTRAR,
    "用印员": Role.REGISTRAR, "文书": Role.REGISTRAR, "收发": Role.REGISTRAR, "档案员": Role.ARCHIVIST,
}


# Built once on the tables: these run in every workflow action, and building, keying and going through the ORM's
# statement handling cost more than the queries themselves.
_PEOPLE = table_of(Person)
_ROLES = table_of(PersonRole)
_DELEGATIONS = table_of(DelegationRow)
# (person, role, unit) of every active person's roles, narrowed by unit, by person, or both.
_ACTIVE_WITH_ROLES = (select(_PEOPLE.c.id, _ROLES.c.role, _PEOPLE.c.unit_id).select_from(_PEOPLE.join(_ROLES))
                      .where(_PEOPLE.c.active.is_(True)))
_OF_UNIT = _PEOPLE.c.unit_id == bindparam("unit_id")
_NAMED = _PEOPLE.c.id.in_(bindparam("ids", expanding=True))
_ROSTER = _ACTIVE_WITH_ROLES.where(_OF_UNIT)
_ROLES_OF = _ACTIVE_WITH_ROLES.where(_NAMED)
_ROSTER_AND_NAMED = _ACTIVE_WITH_ROLES.where(_OF_UNIT | _NAMED)
_IN_FORCE = select(_DELEGATIONS.c.person_id, _DELEGATIONS.c.delegate_id, _DELEGATIONS.c.starts_at,
                   _DELEGATIONS.c.ends_at).where(
    _DELEGATIONS.c.revoked_at.is_(None), _DELEGATIONS.c.starts_at <= bindparam("now"),
    _DELEGATIONS.c.ends_at > bindparam("now"))


# On PostgreSQL, sent to asyncpg directly (`oa.database.driver`): the views and attachments read it; a workflow
# action reads it with the rest of its context (`docflow.outgoing.context`).
_IN_FORCE_PG = """
SELECT person_id, delegate_id, starts_at, ends_at FROM delegations
WHERE revoked_at IS NULL AND starts_at <= $1 AND ends_at > $1
"""


def _roster(rows: Iterable[tuple[int, str]]) -> Roster:
    by_role: dict[str, set[str]] = defaultdict(set)
    for person_id, role in rows:
        by_role[Role(role).value].add(str(person_id))
    roster: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in by_role.items()}
    for label, role in ROLE_LABELS.items():
        roster[label] = roster.get(role.value, frozenset())
    return roster


def _require_found(wanted: set[int], found: set[int], field: str) -> None:
    missing = sorted(wanted - found)
    if missing:
        message = f"人员 {', '.join(map(str, missing))} 不存在、已停用或不能办理公文"
        raise InvalidInput(message, errors=[FieldError(field, message)])


async def roster_of(session: AsyncSession, unit_id: int) -> Roster:
    rows = (await session.execute(_ROSTER, {"unit_id": unit_id})).tuples().all()
    return _roster((pid, role) for pid, role, _ in rows)


async def check_people(session: AsyncSession, ids: Iterable[int], field: str) -> None:
    """Holders named by the user must be active people with a business role (never an administrator)."""
    wanted = set(ids)
    if not wanted:
        return
    found = {pid for pid, role, _ in (await session.execute(_ROLES_OF, {"ids": sorted(wanted)})).all()
             if Role(role) in BUSINESS_ROLES}
    _require_found(wanted, found, field)


async def roster_checking(session: AsyncSession, unit_id: int, named: Iterable[int], field: str) -> Roster:
    """`roster_of(unit_id)` and `check_people(named)` with one query: every workflow action needs both."""
    wanted = sorted(set(named))
    rows = (await session.execute(_ROSTER_AND_NAMED, {"unit_id": unit_id, "ids": wanted})).tuples().all()
    return roster_checked(rows, unit_id, wanted, field)


def roster_checked(rows: Iterable[tuple[int, str, int]], unit_id: int, named: Iterable[int], field: str) -> Roster:
    """The roster of `unit_id` from (person, role, unit) rows of the unit and of the people named, once every named
    person is found to work on documents (`check_people`)."""
    rows, wanted = list(rows), set(named)
    _require_found(wanted, {pid for pid, role, _ in rows if pid in wanted and Role(role) in BUSINESS_ROLES}, field)
    return _roster((pid, role) for pid, role, unit in rows if unit == unit_id)


async def delegations_in_force(session: AsyncSession, now: datetime) -> list[Delegation]:
    rows: Sequence[Any]
    if is_postgresql(session):
        async with driver(session) as conn:
            rows = await conn.fetch(_IN_FORCE_PG, now)
    else:
        rows = (await session.execute(_IN_FORCE, {"now": now})).all()
    return delegations_of(rows)


def delegations_of(rows: Iterable[Sequence[Any]]) -> list[Delegation]:
    """Delegations from (person, delegate, starts, ends) rows."""
    return [Delegation(str(person), str(delegate), starts, ends) for person, delegate, starts, ends in rows]


async def names_of(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = (await session.execute(select(Person.id, Person.name).where(Person.id.in_(wanted)))).all()
    return {pid: name for pid, name in rows}
