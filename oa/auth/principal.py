"""Who is acting: the signed-in person as the use cases see them, and the request they act through."""

from __future__ import annotations

from dataclasses import dataclass

from oa.errors import Forbidden
from oa.org.roles import ROLE_LABELS, Role


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Principal:
    person_id: int
    username: str
    name: str
    unit_id: int
    office_id: int | None
    roles: frozenset[Role]
    session_id: str | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles

    def require(self, *roles: Role) -> None:
        """Allow the action if the person holds any one of `roles`."""
        if not any(r in self.roles for r in roles):
            needed = "或".join(ROLE_LABELS[r] for r in roles)
            raise Forbidden(f"此操作需要{needed}角色")

    def require_unit(self, unit_id: int) -> None:
        """Business data belongs to a unit: only its own people see it (workflow steps grant more elsewhere)."""
        if unit_id != self.unit_id:
            raise Forbidden("不能查看或修改其他单位的数据")
