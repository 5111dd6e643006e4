"""Several app nodes on one PostgreSQL each run an outbox worker: a message is claimed by one of them only
(`FOR UPDATE SKIP LOCKED` and a lease), so no message is sent twice and every one arrives once."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from docflow.distribution.models import OutboxMessage, OutboxStatus
from docflow.distribution.service import distribute
from docflow.distribution.worker import OutboxWorker
from docflow.exchange.runtime import install
from docflow.incoming.models import InboxMessage, IncomingDocument
from docflow.outgoing.models import Document
from docflow.rules.workflow_state import DocState
from oa.auth.principal import RequestContext
from oa.org.models import Person, Unit
from oa.services import Services

COUNT = 150


async def dispatched_notices(services: Services, count: int) -> None:
    async with services.unit_of_work(None, RequestContext(ip="test")) as uow:
        session = uow.session
        unit_id = (await session.execute(select(Unit.id).where(Unit.code == "XSX"))).scalar_one()
        drafter = (await session.execute(select(Person.id).where(Person.username == "xsx.drafter"))).scalar_one()
        for n in range(count):
            document = Document(
                identifier=str(uuid.uuid4()), unit_id=unit_id, drafter_id=drafter, state=DocState.DISPATCHED,
                doc_type="通知", title=f"通知（{n}）", urgency=None, daizi="象政发", doc_number=f"象政发〔2026〕{n + 1}号",
                version=1, flow={}, created_at=uow.now, updated_at=uow.now,
                content={"issuer_names": ["象山县人民政府"], "publication_level": "不公开",
                         "main_recipients": [{"unit_code": "SPZ", "name": "石浦镇"}], "copy_recipients": [],
                         "body": [{"level": 0, "text": "正文。"}]},
            )
            session.add(document)
            await session.flush()
            await distribute(uow, document)
        await uow.commit()


@pytest.mark.postgres_only
async def test_three_workers_on_one_database_send_every_message_exactly_once(demo: Services):
    runtime = install(demo)
    await dispatched_notices(demo, COUNT)
    workers = [OutboxWorker(demo, runtime) for _ in range(3)]
    handled = await asyncio.gather(*(_drain(worker) for worker in workers))
    assert sum(handled) == COUNT and sum(1 for h in handled if h) >= 2  # they shared the work
    async with demo.sessions() as session:
        attempts = (await session.execute(select(OutboxMessage.attempts, OutboxMessage.status))).all()
        incoming = (await session.execute(select(func.count()).select_from(IncomingDocument))).scalar_one()
        inbox = (await session.execute(select(func.count()).select_from(InboxMessage))).scalar_one()
    assert {(a, s) for a, s in attempts} == {(1, OutboxStatus.DONE)}  # one send each, no replay needed
    assert incoming == inbox == COUNT


async def _drain(worker: OutboxWorker) -> int:
    total = 0
    for _ in range(100):
        handled = await worker.run_once()
        total += handled
        if handled == 0:
            await asyncio.sleep(0.05)
            if await worker.run_once() == 0:
                return total
    return total
