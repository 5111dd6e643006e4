"""委托: a person hands their document tasks to a colleague for a period, and may revoke it.

The workflow engine and the 待办 list already read the `delegations` table (`directory.delegations_in_force`): a
delegate may act on the delegator's tasks while the delegation is in force and is recorded as acting for them. This
module only records, lists and revokes delegations. Rules: to an active business user of one's own unit, never to
oneself, ending in the future and lasting at most 180 days, and never two overlapping delegations of one person
(which delegate would then hold the work?). The overlap check and the insert run under a lock on the delegator's
person row, so two concurrent requests cannot both pass the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from docflow.outgoing.access import require_business_user
from docflow.outgoing.admin_schemas import DelegationIn, DelegationOut
from docflow.outgoing.models import Delegation
from oa.auth.principal import Principal
from oa.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from oa.org.models import Person
from oa.org.roles import BUSINESS_ROLES
from oa.uow import UnitOfWork

MAX_PERIOD = timedelta(days=180)


async def create_delegation(uow: UnitOfWork, me: Principal, data: DelegationIn) -> Delegation:
    require_business_user(me)
    session, now = uow.session, uow.now
    _check_period(data, now)
    if data.delegate_id == me.person_id:
        raise InvalidInput("不能委托给自己", errors=[FieldError("delegate_id", "不能是本人")])
    delegate = await session.get(Person, data.delegate_id)
    if (delegate is None or not delegate.active or delegate.unit_id != me.unit_id
            or not delegate.role_set & BUSINESS_ROLES):
        raise InvalidInput("受托人须为本单位在岗的业务人员", errors=[FieldError("delegate_id", "无效的受托人")])
    # Serialises this person's delegation changes (see the module docstring).
    await session.execute(select(Person.id).where(Person.id == me.person_id).with_for_update())
    overlapping = (
        await session.execute(
            select(Delegation.id).where(Delegation.person_id == me.person_id, Delegation.revoked_at.is_(None),
                                        Delegation.starts_at < data.ends_at, Delegation.ends_at > data.starts_at)
        )
    ).scalars().first()
    if overlapping is not None:
        raise Conflict(f"该时段与您的委托 {overlapping} 重叠：请先撤销那一项，或调整时间")
    row = Delegation(person_id=me.person_id, delegate_id=data.delegate_id, starts_at=data.starts_at,
                     ends_at=data.ends_at, reason=data.reason, created_at=now)
    session.add(row)
    await session.flush()
    uow.audit("docflow.delegation.create", target_type="delegation", target_id=row.id, unit_id=me.unit_id,
              detail={"delegate_id": row.delegate_id, "starts_at": row.starts_at.isoformat(),
                      "ends_at": row.ends_at.isoformat(), "reason": row.reason})
    uow.notify([row.delegate_id], "delegation.received",
               {"delegation_id": row.id, "from": me.name, "starts_at": row.starts_at.isoformat(),
                "ends_at": row.ends_at.isoformat()})
    return row


def _check_period(data: DelegationIn, now: datetime) -> None:
    for field, value in (("starts_at", data.starts_at), ("ends_at", data.ends_at)):
        if value.tzinfo is None:
            raise InvalidInput(f"{field} 须带时区（如 +08:00）", errors=[FieldError(field, "须带时区")])
    if data.ends_at <= data.starts_at:
        raise InvalidInput("结束时间须晚于开始时间", errors=[FieldError("ends_at", "须晚于开始时间")])
    if data.ends_at <= now:
        raise InvalidInput("结束时间已过", errors=[FieldError("ends_at", "须在将来")])
    if data.ends_at - data.starts_at > MAX_PERIOD:
        raise InvalidInput("一次委托最长 180 天", errors=[FieldError("ends_at", "委托期过长")])


async def revoke_delegation(uow: UnitOfWork, me: Principal, delegation_id: int) -> Delegation:
    """Only the delegator revokes; from now on the work is theirs again (tasks already done stay done)."""
    require_business_user(me)
    session = uow.session
    row = await session.get(Delegation, delegation_id)
    if row is None or me.person_id not in (row.person_id, row.delegate_id):
        raise NotFound(f"委托 {delegation_id} 不存在")
    if row.person_id != me.person_id:
        raise Forbidden("只有委托人可以撤销委托")
    # Conditional update: of two concurrent revocations exactly one changes the row.
    result = await session.execute(
        update(Delegation).where(Delegation.id == delegation_id, Delegation.revoked_at.is_(None))
        .values(revoked_at=uow.now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("该委托已撤销")
    await session.refresh(row)
    uow.audit("docflow.delegation.revoke", target_type="delegation", target_id=row.id, unit_id=me.unit_id,
              detail={"delegate_id": row.delegate_id})
    uow.notify([row.delegate_id], "delegation.revoked", {"delegation_id": row.id, "from": me.name})
    return row


async def delegations_of(session: AsyncSession, me: Principal, now: datetime) -> tuple[
        list[DelegationOut], list[DelegationOut]]:
    """(given, received): the person's delegations either way, newest first, revoked ones included."""
    require_business_user(me)
    delegator, delegate = aliased(Person), aliased(Person)
    rows = (
        await session.execute(
            select(Delegation, delegator.name, delegate.name)
            .join(delegator, delegator.id == Delegation.person_id)
            .join(delegate, delegate.id == Delegation.delegate_id)
            .where(or_(Delegation.person_id == me.person_id, Delegation.delegate_id == me.person_id))
            .order_by(Delegation.starts_at.desc(), Delegation.id.desc())
        )
    ).all()
    views = [(row, delegation_out(row, a, b, now)) for row, a, b in rows]
    given = [v for r, v in views if r.person_id == me.person_id]
    return given, [v for r, v in views if r.delegate_id == me.person_id]


def delegation_out(row: Delegation, person_name: str, delegate_name: str, now: datetime) -> DelegationOut:
    return DelegationOut(
        id=row.id, person_id=row.person_id, person_name=person_name, delegate_id=row.delegate_id,
        delegate_name=delegate_name, starts_at=row.starts_at, ends_at=row.ends_at, reason=row.reason,
        created_at=row.created_at, revoked_at=row.revoked_at,
        active=row.revoked_at is None and row.starts_at <= now < row.ends_at,
    )


async def names(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    rows = (await session.execute(select(Person.id, Person.name).where(Person.id.in_(set(ids))))).all()
    return {pid: name for pid, name in rows}
