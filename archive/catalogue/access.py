"""Who may see which archive items (pure).

- The county archives' archivists (unit DAG) supervise every unit: they see every unit's accepted items, public or
  not, and may export any unit's year.
- A unit's own archivist keeps the unit's archive: every item of the unit in any status, public or not. So does
  the unit's registrar (文书), who handled every one of these documents at 登记/用印/核发 and must see the status
  and the reasons of the unit's transfers to correct and resend them.
- The unit's other business staff see the unit's accepted items whose 发布层次 is 公开; an item published 不公开
  or 依申请公开 stays with the archivists and registrars.
- The three administrators never read documents (三员分立).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.keeping.models import ItemStatus
from oa.auth.principal import Principal
from oa.errors import Forbidden
from oa.org.roles import BUSINESS_ROLES, Role


@dataclass(frozen=True)
class Scope:
    unit_ids: frozenset[int] | None  # None: every unit
    statuses: frozenset[ItemStatus]
    public_only: bool


def scope_of(me: Principal, county_archives_id: int | None) -> Scope:
    if not me.roles & BUSINESS_ROLES:
        raise Forbidden("系统管理员、安全保密管理员和安全审计员不查阅档案（三员分立）")
    if me.has(Role.ARCHIVIST) and county_archives_id is not None and me.unit_id == county_archives_id:
        return Scope(None, frozenset({ItemStatus.ACCEPTED}), public_only=False)
    if me.has(Role.ARCHIVIST) or me.has(Role.REGISTRAR):
        return Scope(frozenset({me.unit_id}), frozenset(ItemStatus), public_only=False)
    return Scope(frozenset({me.unit_id}), frozenset({ItemStatus.ACCEPTED}), public_only=True)


def may_read(scope: Scope, unit_id: int, status: ItemStatus, public: bool) -> bool:
    return ((scope.unit_ids is None or unit_id in scope.unit_ids) and status in scope.statuses
            and (public or not scope.public_only))


def may_export(me: Principal, county_archives_id: int | None, unit_id: int) -> bool:
    """Exports are the archivists' work: their own unit's, or any unit's for the county archives."""
    if not me.has(Role.ARCHIVIST):
        return False
    return me.unit_id == unit_id or (county_archives_id is not None and me.unit_id == county_archives_id)
