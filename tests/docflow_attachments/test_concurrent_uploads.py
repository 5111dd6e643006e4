"""On PostgreSQL, concurrently: the same file sent many times at once to one document is attached exactly once."""

from __future__ import annotations

import asyncio

import pytest

from tests.docflow_attachments.helpers import PDF, Desk, audit_of, draft


@pytest.mark.postgres_only
async def test_the_same_file_uploaded_ten_times_at_once_is_attached_once(make_client, demo):
    desk = Desk(make_client)
    doc = await draft(desk)
    drafter = await desk("xsx.drafter")

    async def send(n: int) -> int:
        response = await drafter.post(f"/api/documents/{doc}/attachments", params={"filename": f"清单{n}.pdf"},
                                      content=PDF)
        return response.status_code

    statuses = await asyncio.gather(*(send(n) for n in range(10)))
    assert sorted(statuses) == [201] + [409] * 9
    listing = (await drafter.get(f"/api/documents/{doc}/attachments")).json()["items"]
    assert len(listing) == 1 and len(await audit_of(demo, "docflow.attachment.add")) == 1
