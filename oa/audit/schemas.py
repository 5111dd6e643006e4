"""Response and query models of the audit API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from oa.audit.models import Outcome
from oa.web.schemas import Output, PageQuery


class AuditQueryParams(PageQuery):
    actor_id: int | None = None
    action: str | None = Field(None, max_length=64, description="动作前缀，如 org. 或 auth.sign_in")
    unit_id: int | None = None
    target_type: str | None = Field(None, max_length=32)
    target_id: str | None = Field(None, max_length=64)
    since: datetime | None = Field(None, description="起始时间（含），ISO 8601")
    until: datetime | None = Field(None, description="截止时间（不含），ISO 8601")


class AuditRecordOut(Output):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    acting_for_id: int | None
    unit_id: int | None
    action: str
    target_type: str | None
    target_id: str | None
    ip: str | None
    request_id: str | None
    outcome: Outcome
    detail: dict[str, Any]
    hash: str


class AuditPage(Output):
    items: list[AuditRecordOut]
    total: int


class ChainReportOut(Output):
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str | None
