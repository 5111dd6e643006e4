"""Request and response models of the sign-in API."""

from __future__ import annotations

from pydantic import Field

from oa.org.models import UnitKind
from oa.org.roles import Role
from oa.web.schemas import Input, Output


class Credentials(Input):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(Input):
    refresh_token: str = Field(min_length=10, max_length=200)


class MeUnit(Output):
    id: int
    code: str
    name: str
    short_name: str
    kind: UnitKind


class MeOffice(Output):
    id: int
    code: str
    name: str


class Me(Output):
    id: int
    username: str
    name: str
    unit: MeUnit
    office: MeOffice | None
    position: str | None
    roles: list[Role]


class TokenPair(Output):
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    access_token: str
    expires_in: int = Field(description="访问令牌有效秒数")
    refresh_token: str


class SessionState(Output):
    signed_in: bool
    me: Me | None = None
    classified_system: bool = Field(False, description="本部署是否为涉密系统（决定是否显示密级、保密期限、份号）")
