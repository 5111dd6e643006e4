"""The outbox worker claims its next batch while the previous one is still out: deliveries of two rounds are in
flight together, and every message is still sent once per attempt and recorded once."""

from __future__ import annotations

import asyncio
import dataclasses

import httpx
from sqlalchemy import select

from docflow.distribution.models import OutboxMessage, OutboxStatus
from docflow.distribution.worker import OutboxWorker
from docflow.exchange.directory import Node
from docflow.exchange.directory_store import save_remote_node
from docflow.exchange.runtime import install
from docflow.exchange.signing import NodeKey
from oa.auth.principal import RequestContext
from oa.services import Services
from tests.exchange_nodes.test_workers_share_the_outbox import dispatched_notices


async def test_the_next_batch_goes_out_while_the_previous_one_is_still_being_delivered(demo: Services):
    runtime = install(demo)
    async with demo.unit_of_work(None, RequestContext(ip="test")) as uow:  # 石浦镇 is on a node that never answers
        await save_remote_node(uow.session, runtime, Node("node-x", "X", "http://node-x.test", frozenset({"SPZ"}),
                                                          (NodeKey.generate().public(),)))
        uow.audit("test.link")
        await uow.commit()
    await dispatched_notices(demo, 4)
    seen: list[bytes] = []
    both_rounds_out = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        if len(seen) == 4:  # batches of 2: the second batch is out before the first one has an answer
            both_rounds_out.set()
        await asyncio.wait_for(both_rounds_out.wait(), timeout=10)
        return httpx.Response(503)

    small = dataclasses.replace(runtime, config=dataclasses.replace(runtime.config, batch_size=2, concurrency=4))
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        worker = OutboxWorker(demo, small, http=client)
        await worker.start()
        try:
            await asyncio.wait_for(both_rounds_out.wait(), timeout=10)
        finally:
            await worker.stop()
    async with demo.sessions() as session:
        rows = (await session.execute(select(OutboxMessage.attempts, OutboxMessage.status, OutboxMessage.last_error,
                                             OutboxMessage.claimed_until))).all()
    # Each message sent once, its failure recorded once, its lease released, a retry scheduled.
    assert len(seen) == len(set(seen)) == 4
    assert [(attempts, status, until) for attempts, status, _error, until in rows] == [
        (1, OutboxStatus.PENDING, None)] * 4
    assert all("503" in error for _attempts, _status, error, _until in rows)
