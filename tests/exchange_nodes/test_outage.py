"""The big one: 1,000 documents from node A to units on node B while B is down, comes up, is killed with
SIGKILL partway and restarted. Every document arrives exactly once in B's incoming queue and A shows a
送达 receipt for every one: no duplicate, no loss."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from docflow.distribution.models import Delivery, DeliveryStatus, OutboxMessage, OutboxStatus
from docflow.distribution.service import distribute
from docflow.incoming.models import InboxMessage, IncomingDocument
from docflow.incoming.rules import State
from docflow.outgoing.models import Document
from docflow.rules.workflow_state import DocState
from oa.auth.principal import RequestContext
from tests.docflow.helpers import notice
from tests.exchange_nodes.conftest import TwoNodes
from tests.exchange_nodes.node_process import NodeProcess

DOCUMENTS = 1000


async def dispatch_many(nodes: TwoNodes, template_id: int, count: int, batch: int = 100) -> None:
    """`count` copies of a drafted notice, each marked 核发 and handed to `distribute` (the 核发 hook)."""
    async with nodes.a.services.sessions() as session:
        template = await session.get(Document, template_id)
        assert template is not None
    for start in range(0, count, batch):
        async with nodes.a.services.unit_of_work(None, RequestContext(ip="test")) as uow:
            for n in range(start, min(start + batch, count)):
                recipient = ({"unit_code": "DDJD", "name": "丹东街道"} if n % 2 == 0
                             else {"unit_code": "SPZ", "name": "石浦镇"})
                document = Document(
                    identifier=str(uuid.uuid4()), unit_id=template.unit_id, drafter_id=template.drafter_id,
                    state=DocState.DISPATCHED, doc_type=template.doc_type, title=f"{template.title}（第{n + 1}件）",
                    urgency=template.urgency, daizi=template.daizi, doc_number=f"象政发〔2026〕{n + 1}号",
                    version=1, content={**template.content, "main_recipients": [recipient], "copy_recipients": []},
                    flow=template.flow, created_at=uow.now, updated_at=uow.now, dispatched_at=uow.now,
                )
                uow.session.add(document)
                await uow.session.flush()
                await distribute(uow, document)
            await uow.commit()


async def count(services, table, *where) -> int:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table).where(*where))).scalar_one())


async def wait_for(probe, target: int, timeout: float) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while (value := await probe()) < target:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {value} of {target} after {timeout}s")
        await asyncio.sleep(0.1)
    return int(value)


@pytest.mark.timeout(280)
async def test_a_thousand_documents_arrive_exactly_once_across_an_outage_and_a_kill(two_nodes: TwoNodes,
                                                                                     tmp_path: Path):
    nodes = two_nodes
    drafter = await nodes.desk(nodes.a, "xsx.drafter")
    response = await drafter.post("/api/documents", json={"content": notice("关于做好冬季安全生产工作的通知")})
    assert response.status_code == 201, response.text
    b_port, b_settings = nodes.b.port, nodes.b.services.settings
    await nodes.b.stop()  # node B is down before anything is sent

    started = time.monotonic()
    await dispatch_many(nodes, response.json()["id"], DOCUMENTS)
    await asyncio.sleep(1.0)  # A's worker tries, fails and backs off while B is down
    a, b = nodes.a.services, nodes.b.services
    assert await count(a, OutboxMessage, OutboxMessage.status == OutboxStatus.DONE) == 0
    assert await count(a, OutboxMessage, OutboxMessage.attempts > 0) > 0

    process = NodeProcess(b_settings, b_port, tmp_path / "node-b.log")
    try:
        await process.start()
        partway = await wait_for(lambda: count(b, IncomingDocument), DOCUMENTS // 3, timeout=90)
        process.kill()  # SIGKILL in the middle of the stream
        killed_at = await count(b, IncomingDocument)
        assert partway <= killed_at < DOCUMENTS, "the kill must land partway"
        await asyncio.sleep(0.5)
        await process.start()
        await wait_for(lambda: count(a, OutboxMessage, OutboxMessage.status == OutboxStatus.DONE), DOCUMENTS,
                       timeout=150)
    finally:
        process.stop()
    elapsed = time.monotonic() - started

    assert await count(b, IncomingDocument) == DOCUMENTS
    assert await count(b, InboxMessage) == DOCUMENTS
    async with b.sessions() as session:
        rows = (await session.execute(select(IncomingDocument.message_id, IncomingDocument.state,
                                             IncomingDocument.sender_unit_code))).all()
    assert len({message_id for message_id, _, _ in rows}) == DOCUMENTS  # no duplicate
    assert {state for _, state, _ in rows} == {State.RECEIVED} and {s for _, _, s in rows} == {"XSX"}
    async with a.sessions() as session:
        sent = set((await session.execute(select(Delivery.message_id))).scalars())
        statuses = set((await session.execute(select(Delivery.status))).scalars())
    assert sent == {message_id for message_id, _, _ in rows}  # no loss: every message A sent is on B
    assert statuses == {DeliveryStatus.DELIVERED}
    assert await count(a, OutboxMessage, OutboxMessage.status != OutboxStatus.DONE) == 0
    print(f"\n{DOCUMENTS} documents across an outage and a SIGKILL in {elapsed:.1f}s")
