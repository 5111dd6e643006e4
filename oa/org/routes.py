"""HTTP routes of the organisation API: thin wrappers around `oa.org.service`."""

from __future__ import annotations

from typing import Any

from oa.org import service
from oa.org.models import Person
from oa.org.schemas import (
    OfficeCreate,
    OfficeOut,
    PeopleQuery,
    PersonCreate,
    PersonList,
    PersonOut,
    PersonUpdate,
    RolesUpdate,
    UnitCreate,
    UnitList,
    UnitOut,
    UnitQuery,
    UnitUpdate,
)
from oa.web.api import ApiRouter, Call

router = ApiRouter()
TAGS = ("组织机构",)


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.id, username=person.username, name=person.name, unit_id=person.unit_id,
        office_id=person.office_id, position=person.position, roles=sorted(person.role_set),
        active=person.active, locked_until=person.locked_until,
    )


@router.route("GET", "/api/units", summary="单位目录", tags=TAGS, query=UnitQuery, response=UnitList)
async def list_units(call: Call[Any, UnitQuery]) -> UnitList:
    """The county directory: every unit with its internal offices. Any signed-in person may read it."""
    async with call.services.sessions() as session:
        units = await service.list_units(session, call.query.kind, call.query.q)
        return UnitList(items=[UnitOut.model_validate(u) for u in units], total=len(units))


@router.route("GET", "/api/units/{unit_id:int}", summary="单位详情", tags=TAGS, response=UnitOut,
              extra_responses={404: "单位不存在"})
async def get_unit(call: Call[Any, Any]) -> UnitOut:
    async with call.services.sessions() as session:
        return UnitOut.model_validate(await service.get_unit(session, call.path_int("unit_id")))


@router.route("POST", "/api/units", summary="新建单位", tags=TAGS, body=UnitCreate, response=UnitOut, status=201,
              extra_responses={409: "单位代码已被使用"})
async def create_unit(call: Call[UnitCreate, Any]) -> UnitOut:
    async with call.uow() as uow:
        unit = await service.create_unit(uow, call.me, call.body)
        out = UnitOut.model_validate(unit)
        await uow.commit()
    return out


@router.route("PATCH", "/api/units/{unit_id:int}", summary="修改单位", tags=TAGS, body=UnitUpdate,
              response=UnitOut, extra_responses={404: "单位不存在"})
async def update_unit(call: Call[UnitUpdate, Any]) -> UnitOut:
    async with call.uow() as uow:
        unit = await service.update_unit(uow, call.me, call.path_int("unit_id"), call.body)
        out = UnitOut.model_validate(unit)
        await uow.commit()
    return out


@router.route("POST", "/api/units/{unit_id:int}/offices", summary="新建内设机构", tags=TAGS, body=OfficeCreate,
              response=OfficeOut, status=201, extra_responses={404: "单位不存在", 409: "代码已被使用"})
async def create_office(call: Call[OfficeCreate, Any]) -> OfficeOut:
    async with call.uow() as uow:
        office = await service.create_office(uow, call.me, call.path_int("unit_id"), call.body)
        out = OfficeOut.model_validate(office)
        await uow.commit()
    return out


@router.route("GET", "/api/people", summary="人员列表", tags=TAGS, query=PeopleQuery, response=PersonList)
async def list_people(call: Call[Any, PeopleQuery]) -> PersonList:
    """Administrators see everyone; other people see the members of their own unit."""
    async with call.services.sessions() as session:
        people, total = await service.list_people(session, call.me, call.query)
        return PersonList(items=[person_out(p) for p in people], total=total)


@router.route("POST", "/api/people", summary="新建人员账号", tags=TAGS, body=PersonCreate, response=PersonOut,
              status=201, extra_responses={409: "登录名已被使用"})
async def create_person(call: Call[PersonCreate, Any]) -> PersonOut:
    async with call.uow() as uow:
        out = person_out(await service.create_person(uow, call.me, call.body))
        await uow.commit()
    return out


@router.route("PATCH", "/api/people/{person_id:int}", summary="修改人员", tags=TAGS, body=PersonUpdate,
              response=PersonOut, extra_responses={404: "人员不存在"})
async def update_person(call: Call[PersonUpdate, Any]) -> PersonOut:
    async with call.uow() as uow:
        out = person_out(await service.update_person(uow, call.me, call.path_int("person_id"), call.body))
        await uow.commit()
    return out


@router.route("PUT", "/api/people/{person_id:int}/roles", summary="设置人员角色（安全保密管理员）", tags=TAGS,
              body=RolesUpdate, response=PersonOut, extra_responses={404: "人员不存在"})
async def set_roles(call: Call[RolesUpdate, Any]) -> PersonOut:
    async with call.uow() as uow:
        out = person_out(await service.set_roles(uow, call.me, call.path_int("person_id"), call.body.roles))
        await uow.commit()
    return out


@router.route("POST", "/api/people/{person_id:int}/unlock", summary="解锁账号（安全保密管理员）", tags=TAGS,
              response=PersonOut, extra_responses={404: "人员不存在"})
async def unlock_person(call: Call[Any, Any]) -> PersonOut:
    async with call.uow() as uow:
        out = person_out(await service.unlock(uow, call.me, call.path_int("person_id")))
        await uow.commit()
    return out
