"""What the workflow needs from the organisation: the roster of a unit (role → people), who may be named as a
holder, delegations in force, and names for display."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import Delegation as DelegationRow
from docflow.rules.delegation import Delegation
from docflow.rules.workflow_definition import Roster
from oa.errors import FieldError, InvalidInput
from oa.org.models import Person, PersonRole
from oa.org.roles import BUSINESS_ROLES, Role

# The standard definition names holders by the role labels users know; both labels and codes resolve.
ROLE_LABELS: dict[str, Role] = {
    "拟稿人": Role.DRAFTER, "核稿人": Role.REVIEWER, "签发人": Role.SIGNER, "登记员": Role.REGISTRAR,
    "用印员": Role.REGISTRAR, "文书": Role.REGISTRAR, "收发": Role.REGISTRAR, "档案员": Role.ARCHIVIST,
}


async def roster_of(session: AsyncSession, unit_id: int) -> Roster:
    rows = (
        await session.execute(
            select(Person.id, PersonRole.role)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.unit_id == unit_id, Person.active.is_(True))
        )
    ).all()
    by_role: dict[str, set[str]] = defaultdict(set)
    for person_id, role in rows:
        by_role[Role(role).value].add(str(person_id))
    roster: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in by_role.items()}
    for label, role in ROLE_LABELS.items():
        roster[label] = roster.get(role.value, frozenset())
    return roster


async def check_people(session: AsyncSession, ids: Iterable[int], field: str) -> None:
    """Holders named by the user must be active people with a business role (never an administrator)."""
    wanted = set(ids)
    if not wanted:
        return
    found = {
        pid for pid, role in (
            await session.execute(
                select(Person.id, PersonRole.role)
                .join(PersonRole, PersonRole.person_id == Person.id)
                .where(Person.id.in_(wanted), Person.active.is_(True))
            )
        ).all()
        if Role(role) in BUSINESS_ROLES
    }
    missing = sorted(wanted - found)
    if missing:
        message = f"人员 {', '.join(map(str, missing))} 不存在、已停用或不能办理公文"
        raise InvalidInput(message, errors=[FieldError(field, message)])


async def delegations_in_force(session: AsyncSession, now: datetime) -> list[Delegation]:
    rows = (
        await session.execute(
            select(DelegationRow).where(DelegationRow.revoked_at.is_(None), DelegationRow.starts_at <= now,
                                        DelegationRow.ends_at > now)
        )
    ).scalars().all()
    return [Delegation(str(r.person_id), str(r.delegate_id), r.starts_at, r.ends_at) for r in rows]


async def names_of(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = (await session.execute(select(Person.id, Person.name).where(Person.id.in_(wanted)))).all()
    return {pid: name for pid, name in rows}
