"""Automatic 催办 of outgoing tasks: near the deadline the holder is told once; past it, holder and drafter once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from docflow.outgoing.models import DocumentTask
from docflow.outgoing.reminders import send_task_reminders
from docflow.rules.workflow_state import TaskStatus
from oa.database import utcnow
from tests.docflow.helpers import Desk, People, events, to_review


async def _set_due(services, document_id: int, due) -> None:
    async with services.write_sessions() as session, session.begin():
        await session.execute(update(DocumentTask).where(DocumentTask.document_id == document_id,
                                                         DocumentTask.status == TaskStatus.OPEN).values(due_at=due))


async def test_an_overdue_task_reminds_its_holder_and_the_drafter_once(server, make_client):
    services = server.app.state.services
    people = await People.load(services)
    doc_id = await to_review(Desk(make_client))
    await _set_due(services, doc_id, utcnow() - timedelta(hours=1))
    assert await send_task_reminders(services, utcnow(), timedelta(hours=4)) == 1
    assert sorted(await events(services, doc_id, "docflow.overdue")) == sorted(
        [(people["xsx.reviewer"], "docflow.overdue"), (people["xsx.drafter"], "docflow.overdue")])
    assert await send_task_reminders(services, utcnow(), timedelta(hours=4)) == 0


async def test_a_task_near_its_deadline_reminds_the_holder_then_again_when_overdue(server, make_client):
    services = server.app.state.services
    people = await People.load(services)
    doc_id = await to_review(Desk(make_client))
    await _set_due(services, doc_id, utcnow() + timedelta(hours=2))
    assert await send_task_reminders(services, utcnow(), timedelta(hours=4)) == 1
    assert await events(services, doc_id, "docflow.near_deadline") == [(people["xsx.reviewer"],
                                                                         "docflow.near_deadline")]
    assert await send_task_reminders(services, utcnow(), timedelta(hours=4)) == 0
    later = utcnow() + timedelta(hours=3)
    assert await send_task_reminders(services, later, timedelta(hours=4)) == 1
    assert len(await events(services, doc_id, "docflow.overdue")) == 2
