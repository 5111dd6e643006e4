"""催办: a registrar urges the holders by hand; the periodic task reminds them once before the deadline and once
when it is overdue (each with an event to the people concerned and an audit record)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from docflow.incoming.models import IncomingDocument
from docflow.incoming.reminders import ReminderTask, send_reminders
from oa.audit.models import AuditRecord
from oa.notify.models import NotificationEvent
from tests.docflow.helpers import person_id
from tests.incoming.helpers import Desks, incoming_act


async def events_of(services, type_: str) -> list[tuple[int, dict]]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        rows = (await session.execute(select(NotificationEvent.recipient_id, NotificationEvent.payload)
                                      .where(NotificationEvent.type == type_))).all()
    return [(recipient, payload) for recipient, payload in rows]


async def assigned_paper_document(desk: Desks, deadline: datetime) -> tuple[int, int]:
    """A paper document registered by hand, accepted, instructed and assigned to 党政办 (ddjd.drafter's office)."""
    registrar, leader = await desk("ddjd.registrar"), await desk("ddjd.leader")
    response = await registrar.post("/api/incoming/manual", json={
        "sender_name": "宁波市应急管理局", "title": "关于开展安全生产大检查的通知", "doc_type": "通知"})
    assert response.status_code == 201, response.text
    incoming_id = response.json()["id"]
    await incoming_act(registrar, incoming_id, "accept")
    await incoming_act(registrar, incoming_id, "propose", text="请领导批示",
                       leader_id=await person_id(registrar, "ddjd.leader"))
    await incoming_act(leader, incoming_id, "instruct", text="请抓紧落实")
    people = (await registrar.get("/api/people", params={"q": "ddjd.drafter"})).json()["items"]
    office_id = next(p["office_id"] for p in people if p["username"] == "ddjd.drafter")
    await incoming_act(registrar, incoming_id, "assign", lead_office_id=office_id, deadline=deadline.isoformat())
    return incoming_id, await person_id(registrar, "ddjd.drafter")


async def test_a_registrar_urges_the_lead_office_by_hand(make_client, demo):
    desk = Desks(make_client)
    incoming_id, drafter_id = await assigned_paper_document(desk, datetime.now(UTC) + timedelta(days=5))
    registrar = await desk("ddjd.registrar")
    view = await incoming_act(registrar, incoming_id, "urge", text="请于本周内报送落实情况")
    assert view["state"] == "in_progress" and view["history"][-1]["action"] == "urge"
    urged = await events_of(demo, "incoming.urge")
    assert drafter_id in {recipient for recipient, _ in urged}
    assert {payload["message"] for _, payload in urged} == {"请于本周内报送落实情况"}
    await incoming_act(await desk("ddjd.drafter"), incoming_id, "urge", expect=403, text="越权催办")


async def test_the_periodic_task_reminds_once_before_the_deadline_and_once_when_overdue(make_client, demo):
    desk = Desks(make_client)
    deadline = datetime.now(UTC) + timedelta(hours=30)
    incoming_id, drafter_id = await assigned_paper_document(desk, deadline)
    before = timedelta(hours=24)

    assert await send_reminders(demo, deadline - timedelta(hours=26), before) == 0  # not yet within a day
    assert await send_reminders(demo, deadline - timedelta(hours=20), before) == 1
    assert await send_reminders(demo, deadline - timedelta(hours=10), before) == 0  # reminded once
    near = await events_of(demo, "incoming.deadline_near")
    assert drafter_id in {r for r, _ in near} and {p["incoming_id"] for _, p in near} == {incoming_id}

    assert await send_reminders(demo, deadline + timedelta(hours=1), before) == 1
    assert await send_reminders(demo, deadline + timedelta(hours=2), before) == 0
    overdue = await events_of(demo, "incoming.overdue")
    assert drafter_id in {r for r, _ in overdue}
    async with demo.sessions() as session:
        reminded = (await session.execute(select(AuditRecord.action).where(
            AuditRecord.action == "docflow.incoming.remind"))).scalars().all()
    assert len(reminded) == 2


async def waiting_for_a_lock(services) -> bool:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return bool((await session.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ))).scalar_one())


@pytest.mark.postgres_only
async def test_stopping_the_periodic_task_lets_the_round_in_progress_finish(make_client, demo, db_kind):
    """A stop (the app shutting down) waits for the round it finds running instead of cancelling it midway, which
    could leave a database connection opening outside the pool and the reminders half sent."""
    desk = Desks(make_client)
    incoming_id, drafter_id = await assigned_paper_document(desk, datetime.now(UTC) + timedelta(hours=2))
    task = ReminderTask(demo, timedelta(hours=24))
    async with demo.sessions() as blocker, blocker.begin():
        # The round's SELECT … FOR UPDATE waits for this row: a round is in progress, and stays so until we commit.
        await blocker.execute(select(IncomingDocument.id).where(IncomingDocument.id == incoming_id).with_for_update())
        await task.start()
        for _ in range(100):
            if await waiting_for_a_lock(demo):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the reminder round never reached the locked row")
        stopping = asyncio.create_task(task.stop())
        await asyncio.sleep(0.3)
        assert not stopping.done(), "stop() must wait for the round, not cancel it"
    await asyncio.wait_for(stopping, timeout=10)
    assert drafter_id in {recipient for recipient, _ in await events_of(demo, "incoming.deadline_near")}
    async with demo.sessions() as session:
        row = await session.get(IncomingDocument, incoming_id)
        assert row is not None and row.reminded_before_at is not None
