"""On PostgreSQL, concurrently: of several overlapping delegations sent at once, exactly one is recorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.docflow_attachments.helpers import Desk, audit_of, person_by_username


@pytest.mark.postgres_only
async def test_overlapping_delegations_sent_at_once_record_exactly_one(make_client, demo):
    reviewer = await Desk(make_client)("xsx.reviewer")
    delegates = [await person_by_username(demo, f"xsx.{p}") for p in ("drafter", "drafter2", "registrar", "archivist")]
    now = datetime.now(UTC)

    async def send(delegate_id: int) -> int:
        response = await reviewer.post("/api/delegations", json={
            "delegate_id": delegate_id, "starts_at": now.isoformat(), "ends_at": (now + timedelta(days=2)).isoformat(),
            "reason": "出差"})
        return response.status_code

    statuses = await asyncio.gather(*(send(d) for d in delegates))
    assert sorted(statuses) == [201, 409, 409, 409]
    assert len((await reviewer.get("/api/delegations")).json()["given"]) == 1
    assert len(await audit_of(demo, "docflow.delegation.create")) == 1
