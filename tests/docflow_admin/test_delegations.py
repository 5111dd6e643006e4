"""委托 through the HTTP API: the delegate handles the delegator's work and is recorded as acting for them in the
history and the audit trail; revocation hands the work back; impossible delegations are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from oa.notify.models import NotificationEvent
from tests.docflow.helpers import act, person_id
from tests.docflow_attachments.helpers import Desk, audit_of, draft, person_by_username


def period(start_hours: float = -1, end_hours: float = 24) -> dict[str, str]:
    now = datetime.now(UTC)
    return {"starts_at": (now + timedelta(hours=start_hours)).isoformat(),
            "ends_at": (now + timedelta(hours=end_hours)).isoformat()}


async def delegate(client: Any, to: int, expect: int = 201, **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/delegations",
                                 json={"delegate_id": to, **period(), "reason": "出差", **fields})
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_delegate_acts_for_the_holder_and_history_and_audit_say_so(make_client, demo):
    desk = Desk(make_client)
    reviewer, stand_in, drafter = await desk("xsx.reviewer"), await desk("xsx.drafter2"), await desk("xsx.drafter")
    reviewer_id, stand_in_id = await person_id(reviewer, "xsx.reviewer"), await person_id(reviewer, "xsx.drafter2")
    given = await delegate(reviewer, stand_in_id)
    assert (given["person_id"], given["delegate_id"], given["active"], given["reason"]) == (
        reviewer_id, stand_in_id, True, "出差")

    doc = await draft(desk)
    await act(drafter, doc, "submit")
    todo = (await stand_in.get("/api/worklist/todo")).json()["items"]
    assert [item["id"] for item in todo] == [doc]
    view = await act(stand_in, doc, "approve", opinion="代为核稿：同意", skip=["会签"],
                     next_holders=[await person_id(reviewer, "xsx.leader")])
    assert view["state"] == "awaiting_signoff"

    history = (await drafter.get(f"/api/documents/{doc}/history")).json()["items"]
    approval = next(h for h in history if h["action"] == "approve")
    assert (approval["actor_id"], approval["acting_for_id"]) == (stand_in_id, reviewer_id)
    [audited] = [r for r in await audit_of(demo, "docflow.document.approve") if r.target_id == str(doc)]
    assert (audited.actor_id, audited.acting_for_id) == (stand_in_id, reviewer_id)

    mine = (await reviewer.get("/api/delegations")).json()
    theirs = (await stand_in.get("/api/delegations")).json()
    assert [d["id"] for d in mine["given"]] == [given["id"]] and mine["received"] == []
    assert [d["id"] for d in theirs["received"]] == [given["id"]] and theirs["given"] == []
    [created] = await audit_of(demo, "docflow.delegation.create")
    assert (created.actor_id, created.target_id, created.detail["delegate_id"]) == (
        reviewer_id, str(given["id"]), stand_in_id)
    async with demo.sessions() as session:
        told = (await session.execute(select(NotificationEvent.recipient_id)
                                      .where(NotificationEvent.type == "delegation.received"))).scalars().all()
    assert told == [stand_in_id]


async def test_revoking_hands_the_work_back_and_only_the_delegator_revokes_once(make_client, demo):
    desk = Desk(make_client)
    reviewer, stand_in, drafter = await desk("xsx.reviewer"), await desk("xsx.drafter2"), await desk("xsx.drafter")
    given = await delegate(reviewer, await person_id(reviewer, "xsx.drafter2"))
    doc = await draft(desk)
    await act(drafter, doc, "submit")

    refused = await stand_in.delete(f"/api/delegations/{given['id']}")
    assert refused.status_code == 403 and "委托人" in refused.json()["detail"]
    assert (await reviewer.delete(f"/api/delegations/{given['id']}")).status_code == 204
    again = await reviewer.delete(f"/api/delegations/{given['id']}")
    assert again.status_code == 409 and "已撤销" in again.json()["detail"]
    assert (await (await desk("xsx.leader")).delete(f"/api/delegations/{given['id']}")).status_code == 404

    await act(stand_in, doc, "approve", expect=403, skip=["会签"])
    listed = (await reviewer.get("/api/delegations")).json()["given"]
    assert listed[0]["revoked_at"] is not None and listed[0]["active"] is False
    assert len(await audit_of(demo, "docflow.delegation.revoke")) == 1


async def test_impossible_delegations_are_refused_and_change_nothing(make_client, demo):
    desk = Desk(make_client)
    reviewer = await desk("xsx.reviewer")
    me, colleague = await person_id(reviewer, "xsx.reviewer"), await person_id(reviewer, "xsx.drafter2")
    other_unit = await person_by_username(demo, "spz.reviewer")
    naive = datetime.now(UTC).replace(tzinfo=None)
    cases = [
        ({"delegate_id": me}, "自己"),
        ({"delegate_id": other_unit}, "本单位"),
        ({**period(2, 1)}, "晚于开始时间"),
        ({**period(-48, -24)}, "已过"),
        ({**period(0, 24 * 200)}, "180 天"),
        ({"starts_at": naive.isoformat(), "ends_at": (naive + timedelta(days=1)).isoformat()}, "时区"),
    ]
    for fields, needle in cases:
        refused = await delegate(reviewer, colleague, expect=422, **fields)
        assert needle in refused["detail"], (fields, refused)
    first = await delegate(reviewer, colleague, **period(0, 48))
    overlap = await delegate(reviewer, await person_id(reviewer, "xsx.registrar"), expect=409, **period(24, 72))
    assert str(first["id"]) in overlap["detail"]
    await delegate(reviewer, colleague, **period(48, 72))  # right after the first one: no overlap
    assert (await (await desk("sysadmin")).post("/api/delegations", json={"delegate_id": colleague, **period()})
            ).status_code == 403
    assert len(await audit_of(demo, "docflow.delegation.create")) == 2
