"""Use cases of the organisation: the county directory, units, offices, people and their roles.

Who may do what: anyone signed in reads the unit directory (choosing recipients needs it); people are listed to the
administrators and, within their own unit, to its members; the system administrator creates and edits units and
people; the security administrator grants roles and unlocks accounts. Neither can read documents.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from oa.auth.passwords import hash_password
from oa.auth.principal import Principal
from oa.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from oa.org.models import Office, Person, PersonRole, Unit, UnitKind
from oa.org.roles import ADMIN_ROLES, Role, RoleConflict, check_role_set
from oa.org.schemas import OfficeCreate, PeopleQuery, PersonCreate, PersonUpdate, UnitCreate, UnitUpdate
from oa.uow import UnitOfWork


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def list_units(session: AsyncSession, kind: UnitKind | None, q: str | None) -> list[Unit]:
    stmt = select(Unit).options(selectinload(Unit.offices)).order_by(Unit.kind, Unit.code)
    if kind is not None:
        stmt = stmt.where(Unit.kind == kind)
    if q:
        pattern = _like(q)
        stmt = stmt.where(or_(Unit.code.ilike(pattern, escape="\\"), Unit.name.like(pattern, escape="\\"),
                              Unit.short_name.like(pattern, escape="\\")))
    return list((await session.execute(stmt)).scalars())


async def get_unit(session: AsyncSession, unit_id: int) -> Unit:
    unit = (
        await session.execute(select(Unit).options(selectinload(Unit.offices)).where(Unit.id == unit_id))
    ).scalar_one_or_none()
    if unit is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    return unit


async def create_unit(uow: UnitOfWork, me: Principal, data: UnitCreate) -> Unit:
    me.require(Role.SYSADMIN)
    if data.parent_id is not None:
        await get_unit(uow.session, data.parent_id)
    unit = Unit(code=data.code, name=data.name, short_name=data.short_name, kind=data.kind, parent_id=data.parent_id)
    uow.session.add(unit)
    await _flush_unique(uow, f"单位代码 {data.code} 已被使用", "code")
    uow.audit("org.unit.create", target_type="unit", target_id=unit.id, detail=data.model_dump(mode="json"))
    return await get_unit(uow.session, unit.id)


async def update_unit(uow: UnitOfWork, me: Principal, unit_id: int, data: UnitUpdate) -> Unit:
    me.require(Role.SYSADMIN)
    unit = await get_unit(uow.session, unit_id)
    before = {"name": unit.name, "short_name": unit.short_name}
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for key, value in changes.items():
        setattr(unit, key, value)
    uow.audit("org.unit.update", target_type="unit", target_id=unit.id, detail={"before": before, "after": changes})
    await uow.session.flush()
    return unit


async def create_office(uow: UnitOfWork, me: Principal, unit_id: int, data: OfficeCreate) -> Office:
    me.require(Role.SYSADMIN)
    await get_unit(uow.session, unit_id)
    office = Office(unit_id=unit_id, code=data.code, name=data.name)
    uow.session.add(office)
    await _flush_unique(uow, f"本单位已有代码为 {data.code} 的内设机构", "code")
    uow.audit("org.office.create", target_type="office", target_id=office.id, unit_id=unit_id,
              detail=data.model_dump(mode="json"))
    return office


async def _flush_unique(uow: UnitOfWork, message: str, field: str) -> None:
    # Uniqueness is the database's constraint, not a check-then-insert: a savepoint keeps the transaction usable.
    try:
        async with uow.session.begin_nested():
            await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(message, errors=[FieldError(field, message)]) from exc


def _can_list_people(me: Principal, unit_id: int | None) -> int | None:
    """The unit filter to apply: administrators see all; others only their own unit."""
    if me.roles & {Role.SYSADMIN, Role.SECADMIN}:
        return unit_id
    if unit_id is not None and unit_id != me.unit_id:
        raise Forbidden("只能查看本单位的人员")
    return me.unit_id


async def list_people(session: AsyncSession, me: Principal, query: PeopleQuery) -> tuple[list[Person], int]:
    unit_id = _can_list_people(me, query.unit_id)
    conditions = []
    if unit_id is not None:
        conditions.append(Person.unit_id == unit_id)
    if query.q:
        pattern = _like(query.q)
        conditions.append(or_(Person.username.like(pattern, escape="\\"), Person.name.like(pattern, escape="\\")))
    total = (await session.execute(select(func.count()).select_from(Person).where(*conditions))).scalar_one()
    rows = (
        await session.execute(
            select(Person).where(*conditions).order_by(Person.unit_id, Person.username)
            .offset((query.page - 1) * query.page_size).limit(query.page_size)
        )
    ).scalars().all()
    return list(rows), total


async def get_person(session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(f"人员 {person_id} 不存在")
    return person


async def _check_office(session: AsyncSession, unit_id: int, office_id: int | None) -> None:
    if office_id is None:
        return
    office = await session.get(Office, office_id)
    if office is None or office.unit_id != unit_id:
        raise InvalidInput("内设机构不属于该单位", errors=[FieldError("office_id", "请选择本单位的内设机构")])


async def create_person(uow: UnitOfWork, me: Principal, data: PersonCreate) -> Person:
    me.require(Role.SYSADMIN)
    await get_unit(uow.session, data.unit_id)
    await _check_office(uow.session, data.unit_id, data.office_id)
    person = Person(username=data.username, name=data.name, unit_id=data.unit_id, office_id=data.office_id,
                    position=data.position, password_hash=hash_password(data.password), roles=[])
    uow.session.add(person)
    await _flush_unique(uow, f"登录名 {data.username} 已被使用", "username")
    uow.audit("org.person.create", target_type="person", target_id=person.id, unit_id=data.unit_id,
              detail=data.model_dump(mode="json", exclude={"password"}))
    return person


async def update_person(uow: UnitOfWork, me: Principal, person_id: int, data: PersonUpdate) -> Person:
    me.require(Role.SYSADMIN)
    person = await get_person(uow.session, person_id)
    changes = data.model_dump(exclude_unset=True)
    if "office_id" in changes:
        await _check_office(uow.session, person.unit_id, changes["office_id"])
    if changes.get("active") is False and person.id == me.person_id:
        raise Conflict("不能停用自己的账号")
    before = {k: getattr(person, k) for k in changes}
    for key, value in changes.items():
        if key in {"name", "active"} and value is None:
            continue
        setattr(person, key, value)
    uow.audit("org.person.update", target_type="person", target_id=person.id, unit_id=person.unit_id,
              detail={"before": before, "after": changes})
    await uow.session.flush()
    return person


async def set_roles(uow: UnitOfWork, me: Principal, person_id: int, roles: list[Role]) -> Person:
    me.require(Role.SECADMIN)
    if person_id == me.person_id:
        raise Forbidden("不能修改自己的角色")
    wanted = set(roles)
    try:
        check_role_set(wanted)
    except RoleConflict as exc:
        raise InvalidInput(str(exc), errors=[FieldError("roles", str(exc))]) from exc
    person = await get_person(uow.session, person_id)
    before = sorted(person.role_set)
    if (set(before) | wanted) & ADMIN_ROLES and Role.SECADMIN in (set(before) ^ wanted):
        raise Forbidden("安全保密管理员角色只能由部署时的初始化命令授予或收回")
    person.roles = [PersonRole(role=r) for r in sorted(wanted)]
    uow.audit("org.person.roles", target_type="person", target_id=person.id, unit_id=person.unit_id,
              detail={"before": [r.value for r in before], "after": sorted(r.value for r in wanted)})
    await uow.session.flush()
    return person


async def unlock(uow: UnitOfWork, me: Principal, person_id: int) -> Person:
    me.require(Role.SECADMIN)
    person = await get_person(uow.session, person_id)
    person.failed_logins = 0
    person.locked_until = None
    uow.audit("org.person.unlock", target_type="person", target_id=person.id, unit_id=person.unit_id)
    await uow.session.flush()
    return person
