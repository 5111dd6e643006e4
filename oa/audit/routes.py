"""Audit API: only the audit administrator (安全审计员) reads the trail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from oa.audit import service
from oa.audit.schemas import AuditPage, AuditQueryParams, AuditRecordOut, ChainReportOut
from oa.audit.service import AuditQuery
from oa.org.roles import Role
from oa.web.api import ApiRouter, Call

router = ApiRouter()
TAGS = ("审计",)


def _utc(moment: datetime | None) -> datetime | None:
    # A time without a zone is read as UTC, the zone the trail is kept in.
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.route("GET", "/api/audit", summary="查询审计记录（安全审计员）", tags=TAGS, query=AuditQueryParams,
              response=AuditPage)
async def search_audit(call: Call[Any, AuditQueryParams]) -> AuditPage:
    call.me.require(Role.AUDITADMIN)
    q = call.query
    query = AuditQuery(
        actor_id=q.actor_id, action=q.action, unit_id=q.unit_id, target_type=q.target_type, target_id=q.target_id,
        since=_utc(q.since), until=_utc(q.until),
        page=q.page, page_size=q.page_size,
    )
    async with call.services.sessions() as session:
        rows, total = await service.search(session, query)
        return AuditPage(items=[AuditRecordOut.model_validate(r) for r in rows], total=total)


@router.route("GET", "/api/audit/verify", summary="校验审计链（安全审计员）", tags=TAGS, response=ChainReportOut)
async def verify_audit(call: Call[Any, Any]) -> ChainReportOut:
    call.me.require(Role.AUDITADMIN)
    async with call.services.sessions() as session:
        report = await service.verify(session)
    return ChainReportOut(ok=report.ok, checked=report.checked, first_bad_id=report.first_bad_id,
                          reason=report.reason)
