"""Request and response models of the organisation API."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from oa.org.models import UnitKind
from oa.org.roles import Role
from oa.web.schemas import Input, Output, PageQuery, Query

CODE = r"^[A-Za-z0-9_.-]{1,32}$"
USERNAME = r"^[a-z0-9][a-z0-9_.-]{2,63}$"


class OfficeOut(Output):
    id: int
    code: str
    name: str


class UnitOut(Output):
    id: int
    code: str
    name: str
    short_name: str
    kind: UnitKind
    parent_id: int | None
    offices: list[OfficeOut]


class UnitList(Output):
    items: list[UnitOut]
    total: int


class UnitQuery(Query):
    kind: UnitKind | None = None
    q: str | None = Field(None, max_length=50, description="按代码、全称或简称查找")


class UnitCreate(Input):
    code: str = Field(pattern=CODE, description="单位代码，如 ZFB、DDJD")
    name: str = Field(min_length=2, max_length=100, description="全称，如 象山县人民政府办公室")
    short_name: str = Field(min_length=2, max_length=40, description="简称（用于发文机关标志等）")
    kind: UnitKind
    parent_id: int | None = None


class UnitUpdate(Input):
    name: str | None = Field(None, min_length=2, max_length=100)
    short_name: str | None = Field(None, min_length=2, max_length=40)


class OfficeCreate(Input):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=2, max_length=100)


class PersonOut(Output):
    id: int
    username: str
    name: str
    unit_id: int
    office_id: int | None
    position: str | None
    roles: list[Role]
    active: bool
    locked_until: datetime | None


class PersonList(Output):
    items: list[PersonOut]
    total: int


class PeopleQuery(PageQuery):
    unit_id: int | None = None
    q: str | None = Field(None, max_length=50, description="按用户名或姓名查找")


class PersonCreate(Input):
    username: str = Field(pattern=USERNAME, description="登录名：小写字母、数字、点、横线，3–64 位")
    name: str = Field(min_length=2, max_length=64)
    unit_id: int
    office_id: int | None = None
    position: str | None = Field(None, max_length=64)
    password: str = Field(min_length=8, max_length=256)


class PersonUpdate(Input):
    name: str | None = Field(None, min_length=2, max_length=64)
    office_id: int | None = None
    position: str | None = Field(None, max_length=64)
    active: bool | None = None


class RolesUpdate(Input):
    roles: list[Role] = Field(max_length=8)
