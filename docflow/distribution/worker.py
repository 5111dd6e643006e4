"""The outbox worker: claims due messages, delivers them, records the answers, retries with back-off.

Runs inside every app instance (started by the lifespan). It is rung after a transaction that wrote to the
outbox commits and also polls every `OA_EXCHANGE_POLL_SECONDS`. Several app nodes may run it on one
PostgreSQL: a batch is claimed with `FOR UPDATE SKIP LOCKED` and leased (`claimed_until`), so no message is
sent by two nodes at once; on SQLite there is one node. A message for a unit this node hosts goes through the
very same receive pipeline (`inbox.receive`) as one arriving over HTTP, without the network hop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import defer

from docflow.distribution.http_lanes import HttpLanes
from docflow.distribution.models import Delivery, DeliveryStatus, MessageKind, OutboxMessage, OutboxStatus
from docflow.distribution.receipts_in import advance
from docflow.exchange.directory import Directory
from docflow.exchange.errors import ExchangeRefusal
from docflow.exchange.inbox import InboxAnswer, current_directory, receive
from docflow.exchange.namespaces import PROTOCOL_VERSION
from docflow.exchange.outgoing import INBOX_PATH, DeliveryNotConfirmed, OutgoingMessage, confirm_delivery
from docflow.exchange.receipts import Receipt
from docflow.exchange.receive import SIGNATURE_HEADER, VERSION_HEADER, check_incoming
from docflow.exchange.retry import next_attempt_at
from docflow.exchange.runtime import ExchangeRuntime, write_sessions
from docflow.outgoing.models import Document
from oa.auth.principal import RequestContext
from oa.database import utcnow
from oa.services import Services

log = logging.getLogger("docflow.distribution")

ROUNDS_IN_FLIGHT = 2
"""Rounds (claim, send, record) of one worker that overlap: the next batch is claimed and starts going out while
the previous one's last answers arrive and its results are recorded, so the receiver never waits on our
bookkeeping between two batches."""


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    message: OutgoingMessage
    kind: MessageKind
    attempts: int
    delivery_id: int | None
    recipient_unit: str


@dataclass(frozen=True, slots=True)
class Result:
    claimed: Claimed
    receipt: Receipt | None = None
    error: str | None = None


class OutboxWorker:
    def __init__(self, services: Services, runtime: ExchangeRuntime, *, http: httpx.AsyncClient | None = None,
                 rng: random.Random | None = None) -> None:
        self.services = services
        self.runtime = runtime
        self.config = runtime.config
        self._given_http = http
        self._http: HttpLanes | None = None
        self._rng = rng or random.Random()
        self._bell = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._sending: asyncio.Semaphore | None = None  # at most `concurrency` deliveries, over all rounds

    def ring(self) -> None:
        self._bell.set()

    async def start(self) -> None:
        if self._http is None:
            self._http = HttpLanes(self.config.concurrency, self.config.timeout_seconds, self._given_http)
        self.runtime.bells.append(self.ring)
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def stop(self) -> None:
        """Let the round in progress finish (its results recorded), then stop; cancel only if it hangs."""
        self._stopping = True
        if self.ring in self.runtime.bells:
            self.runtime.bells.remove(self.ring)
        self._bell.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=self.config.timeout_seconds + 5)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self._drain()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not kill the worker: log it and try again later
                log.exception("outbox worker round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._bell.wait(), timeout=self.config.poll_seconds)
            self._bell.clear()

    async def _drain(self) -> None:
        """Rounds until no message is due, up to ROUNDS_IN_FLIGHT of them at once (each claims its own batch
        under the lease, exactly as two workers would)."""
        rounds: set[asyncio.Task[int]] = set()
        try:
            while not self._stopping:
                claimed = await self._claim()
                if not claimed:
                    break
                rounds.add(asyncio.create_task(self._deliver(claimed), name="outbox-round"))
                if len(rounds) >= ROUNDS_IN_FLIGHT:
                    done, rounds = await asyncio.wait(rounds, return_when=asyncio.FIRST_COMPLETED)
                    for finished in done:
                        finished.result()  # a failed round ends this drain; its messages wait for their lease
        except asyncio.CancelledError:  # stop() gave up waiting: the rounds in flight go too
            for pending in rounds:
                pending.cancel()
            await asyncio.gather(*rounds, return_exceptions=True)
            raise
        except Exception:
            await asyncio.gather(*rounds, return_exceptions=True)  # the others still finish and record
            raise
        for outcome in await asyncio.gather(*rounds, return_exceptions=True):
            if isinstance(outcome, BaseException):
                raise outcome

    async def run_once(self) -> int:
        """Claim one batch of due messages, send them, record the results; return how many were handled."""
        claimed = await self._claim()
        if not claimed:
            return 0
        return await self._deliver(claimed)

    async def _deliver(self, claimed: list[Claimed]) -> int:
        directory = await current_directory(self.services, self.runtime)
        if self._sending is None:
            self._sending = asyncio.Semaphore(self.config.concurrency)
        sending = self._sending

        async def one(item: Claimed) -> Result:
            async with sending:
                return await self._send(item, directory)

        results = await asyncio.gather(*(one(item) for item in claimed))
        await self._record(list(results))
        return len(results)

    async def _claim(self) -> list[Claimed]:
        now = utcnow()
        lease = now + timedelta(seconds=self.config.lease_seconds)
        async with write_sessions(self.services)() as session, session.begin():
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now,
                       or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(self.config.batch_size)
            )
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = (await session.execute(query)).scalars().all()
            if not rows:
                return []
            await session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows]))
                                  .values(claimed_until=lease))
            return [
                Claimed(
                    id=row.id,
                    message=OutgoingMessage(uuid.UUID(row.message_id), uuid.UUID(row.process_id),
                                            row.target_node_id, "", row.body, row.signature),
                    kind=row.kind, attempts=row.attempts, delivery_id=row.delivery_id,
                    recipient_unit=row.recipient_unit,
                )
                for row in rows
            ]

    async def _send(self, item: Claimed, directory: Directory) -> Result:
        # Route by the recipient unit in today's directory: a unit moved to another node (or back to this one)
        # gets the same signed bytes there; the signature names units, not nodes.
        hosting = directory.node_hosting(item.recipient_unit)
        if hosting is not None and hosting.node_id != item.message.target_node_id:
            item = replace(item, message=replace(item.message, target_node_id=hosting.node_id))
        try:
            answer = await self._post(item.message, directory)
        except ExchangeRefusal as exc:
            return Result(item, error=str(exc))
        except (httpx.HTTPError, OSError) as exc:
            return Result(item, error=f"网络错误：{type(exc).__name__}: {exc}")
        if item.kind is MessageKind.RECEIPT:
            return Result(item) if answer.status < 300 else Result(item, error=f"对方应答 {answer.status}")
        if answer.status != 200:
            return Result(item, error=f"对方应答 {answer.status}：{answer.body[:300].decode('utf-8', 'replace')}")
        try:
            verified = check_incoming(version=PROTOCOL_VERSION, body=answer.body, signature=answer.signature,
                                      directory=directory, local_node_id=self.runtime.node_id,
                                      max_bytes=self.config.max_message_bytes)
            return Result(item, receipt=confirm_delivery(item.message, verified))
        except (ExchangeRefusal, DeliveryNotConfirmed) as exc:
            return Result(item, error=f"送达回执无效：{exc}")

    async def _post(self, message: OutgoingMessage, directory: Directory) -> InboxAnswer:
        headers = message.http_headers()
        if message.target_node_id == self.runtime.node_id:
            return await receive(self.services, self.runtime, version=headers[VERSION_HEADER], body=message.body,
                                 signature=headers[SIGNATURE_HEADER], directory=directory,
                                 context=RequestContext(ip="local"))
        node = directory.node(message.target_node_id)
        if node is None:
            raise ConnectionError(f"节点目录中已没有节点 {message.target_node_id}")
        assert self._http is not None
        response = await self._http.post(node.base_url.rstrip("/") + INBOX_PATH, content=message.body,
                                         headers=headers)
        return InboxAnswer(response.status_code, response.content, response.headers.get(SIGNATURE_HEADER))

    async def _record(self, results: list[Result]) -> None:
        async with self.services.unit_of_work(None, RequestContext(ip="outbox")) as uow:
            session, now = uow.session, uow.now
            # Two reads for the whole batch rather than two per message.
            # The signed bytes are not needed to record the outcome: not read back (a batch is ~100 bodies).
            rows = {row.id: row for row in (await session.execute(
                select(OutboxMessage).options(defer(OutboxMessage.body), defer(OutboxMessage.signature))
                .where(OutboxMessage.id.in_([r.claimed.id for r in results])))).scalars()}
            delivery_ids = [r.claimed.delivery_id for r in results if r.claimed.delivery_id is not None]
            deliveries = {d.id: d for d in (await session.execute(
                select(Delivery).where(Delivery.id.in_(delivery_ids)))).scalars()} if delivery_ids else {}
            for result in results:
                item = result.claimed
                row = rows[item.id]
                row.attempts += 1
                row.claimed_until = None
                row.target_node_id = item.message.target_node_id
                delivery = None if item.delivery_id is None else deliveries.get(item.delivery_id)
                if result.error is None:
                    row.status, row.done_at, row.last_error = OutboxStatus.DONE, now, ""
                    if result.receipt is not None:
                        row.answer = {"message_id": str(result.receipt.header.message_id),
                                      "at": result.receipt.at.isoformat()}
                        if delivery is not None:
                            advance(delivery, result.receipt)
                            delivery.updated_at = now
                    uow.audit("exchange.outbox.delivered", target_type="message", target_id=row.message_id,
                              detail={"node": row.target_node_id, "unit": row.recipient_unit, "kind": row.kind.value,
                                      "attempts": row.attempts})
                    continue
                row.last_error = result.error[:2000]
                retry_at: datetime | None = next_attempt_at(now, row.attempts, self.config.retry, self._rng.random)
                if retry_at is not None:
                    row.next_attempt_at = retry_at
                    uow.audit("exchange.outbox.retry", target_type="message", target_id=row.message_id,
                              detail={"node": row.target_node_id, "attempts": row.attempts,
                                      "next": retry_at.isoformat(), "error": row.last_error[:300]})
                    continue
                row.status = OutboxStatus.FAILED
                uow.audit("exchange.outbox.failed", target_type="message", target_id=row.message_id,
                          detail={"node": row.target_node_id, "unit": row.recipient_unit, "error": row.last_error})
                if delivery is not None and delivery.status is DeliveryStatus.SENT:
                    delivery.status, delivery.reasons = DeliveryStatus.FAILED, [row.last_error]
                    delivery.updated_at = now
                    document = await session.get(Document, delivery.document_id)
                    if document is not None:
                        uow.notify([document.drafter_id], "outgoing.delivery_failed",
                                   {"document_id": document.id, "recipient": delivery.recipient_name,
                                    "reason": row.last_error})
            await uow.commit()
