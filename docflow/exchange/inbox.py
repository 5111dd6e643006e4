"""The receive pipeline: what this node does with a message, whether it came over HTTP or from its own outbox.

`receive` runs `check_incoming` (a refusal stores nothing), then in ONE transaction records the message under
the unique (sender node, message id), files a 公文 into the recipient unit's incoming queue (or applies a
business receipt to the sender's delivery status), writes the audit record, and for a 公文 signs and stores
the 送达 receipt it answers with. A replay hits the unique constraint and gets the receipt stored the first
time: exactly one incoming document per message, however often the sender retries.

公文 that arrive while another inbox transaction is running share the next one (`group_commit`): the same
rows, audit records and notifications, in a handful of statements for the whole group instead of a dozen per
message.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import ReturningInsert

from docflow.distribution.models import MessageKind
from docflow.distribution.receipts_in import apply_business_receipt
from docflow.exchange.directory import Directory
from docflow.exchange.directory_store import cached_directory
from docflow.exchange.envelope import Envelope
from docflow.exchange.errors import RecipientNotHostedHere
from docflow.exchange.namespaces import PROTOCOL_VERSION
from docflow.exchange.outgoing import CONTENT_TYPE
from docflow.exchange.receipts import ReceiptType, build_receipt, receipt_for
from docflow.exchange.receive import SIGNATURE_HEADER, VERSION_HEADER, VerifiedMessage, check_incoming
from docflow.exchange.runtime import ExchangeRuntime
from docflow.incoming.intake import Filing, file_incoming, units_and_registrars
from docflow.incoming.models import InboxMessage
from oa.auth.principal import RequestContext
from oa.database import table_of
from oa.services import Services


@dataclass(frozen=True, slots=True)
class InboxAnswer:
    """What the receiver answers: the signed 送达 receipt for a 公文, nothing for a receipt."""

    status: int
    body: bytes = b""
    signature: str | None = None
    replay: bool = False

    def headers(self) -> dict[str, str]:
        if self.signature is None:
            return {}
        return {"Content-Type": CONTENT_TYPE, VERSION_HEADER: PROTOCOL_VERSION, SIGNATURE_HEADER: self.signature}


async def current_directory(services: Services, runtime: ExchangeRuntime) -> Directory:
    async with services.sessions() as session:
        return await cached_directory(session, runtime)


async def receive(services: Services, runtime: ExchangeRuntime, *, version: str | None, body: bytes,
                  signature: str | None, directory: Directory | None = None,
                  context: RequestContext | None = None) -> InboxAnswer:
    """Check, store and answer one message; raises `ExchangeRefusal` (nothing stored) when a check fails."""
    directory = directory or await current_directory(services, runtime)
    verified = check_incoming(version=version, body=body, signature=signature, directory=directory,
                              local_node_id=runtime.node_id, max_bytes=runtime.config.max_message_bytes)
    received = Received(verified, signature or "", context or RequestContext(ip="exchange"))
    if isinstance(verified.message, Envelope):

        async def store(group: Sequence[Received]) -> list[InboxAnswer]:
            return await store_documents(services, runtime, group)

        answer: InboxAnswer = await runtime.inbox_groups.submit(received, len(body), store)
        return answer
    try:
        return await _store_receipt(services, received)
    except IntegrityError:
        return await _original_answer(services, verified)


@dataclass(frozen=True, slots=True)
class Received:
    """A message that passed the checks, with the signature it came with and who delivered it (for the audit)."""

    verified: VerifiedMessage
    signature: str
    context: RequestContext


def _inbox_values(received: Received, now: datetime) -> dict[str, Any]:
    verified = received.verified
    kind = MessageKind.DOCUMENT if isinstance(verified.message, Envelope) else MessageKind.RECEIPT
    return {"sender_node_id": verified.sender_node_id, "message_id": str(verified.message_id),
            "process_id": str(verified.process_id), "kind": kind, "kid": verified.kid, "body": verified.body,
            "signature": received.signature, "received_at": now}


async def store_documents(services: Services, runtime: ExchangeRuntime, group: Sequence[Received]
                          ) -> list[InboxAnswer]:
    """Store a group of verified 公文 in ONE transaction and answer each (in the group's order).

    Per message: the inbox row under the unique (sender node, message id) — a message already stored (or twice
    in the group) is a replay and gets the receipt stored the first time —, the incoming document with its
    attachments, the registrars' notification and the audit record with that message's own request context;
    the signed 送达 receipt is built first, so each inbox row is written once. Raises `RecipientNotHostedHere`
    when a recipient unit is missing from the database (the caller then stores each message alone, so only
    that message is refused and nothing of it is stored).
    """
    async with services.unit_of_work(None, group[0].context) as uow:
        session, now = uow.session, uow.now
        # Built and signed before the first statement, so no lock is held meanwhile.
        receipts = [_signed_delivery_receipt(runtime, received, now) for received in group]
        stored = await session.execute(
            _insert_new_inbox_rows(session.bind.dialect.name),
            [{**_inbox_values(received, now), "receipt_body": body, "receipt_signature": signature}
             for received, (body, signature) in zip(group, receipts, strict=True)],
        )
        row_ids = {(sender, message_id): row_id for row_id, sender, message_id in stored.all()}
        fresh: dict[int, int] = {}  # position in the group -> inbox row id; the others are replays
        for position, received in enumerate(group):
            row_id = row_ids.pop((received.verified.sender_node_id, str(received.verified.message_id)), None)
            if row_id is not None:
                fresh[position] = row_id
        envelopes = {position: _envelope(group[position]) for position in fresh}
        units = await units_and_registrars(session, {e.header.recipient_unit for e in envelopes.values()})
        filings: list[Filing] = []
        for position, row_id in fresh.items():
            envelope = envelopes[position]
            unit = units.get(envelope.header.recipient_unit)
            if unit is None:
                # The directory says we host it but the unit is not in our database: refuse rather than lose it.
                raise RecipientNotHostedHere(f"收文单位 {envelope.header.recipient_unit} 不在本节点的单位名录中")
            filings.append(Filing(envelope, row_id, group[position].verified.sender_node_id, unit[0],
                                  tuple(unit[1])))
        incoming_ids = await file_incoming(uow, filings)
        for position, filing, incoming_id in zip(fresh, filings, incoming_ids, strict=True):
            received, envelope = group[position], filing.envelope
            uow.audit("exchange.inbox.document", target_type="incoming_document", target_id=incoming_id,
                      unit_id=filing.unit_id, context=received.context,
                      detail={"sender_node": received.verified.sender_node_id,
                              "message_id": str(received.verified.message_id),
                              "sender_unit": envelope.header.sender_unit, "title": envelope.document.title})
        if fresh:
            await uow.commit()
    answers: list[InboxAnswer] = []
    for position, received in enumerate(group):
        if position in fresh:
            body, signature = receipts[position]
            answers.append(InboxAnswer(200, body, signature))
        else:
            answers.append(await _original_answer(services, received.verified))
    return answers


@cache
def _insert_new_inbox_rows(dialect: str) -> ReturningInsert[tuple[int, str, str]]:
    """INSERT … ON CONFLICT (sender node, message id) DO NOTHING RETURNING: the rows not returned are replays.
    Built once per dialect; building it costs about as much CPU as running it."""
    table = table_of(InboxMessage)
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (insert(table).on_conflict_do_nothing(index_elements=["sender_node_id", "message_id"])
            .returning(table.c.id, table.c.sender_node_id, table.c.message_id))


def _envelope(received: Received) -> Envelope:
    assert isinstance(received.verified.message, Envelope)
    return received.verified.message


def _signed_delivery_receipt(runtime: ExchangeRuntime, received: Received, now: datetime) -> tuple[bytes, str]:
    receipt = receipt_for(_envelope(received).header, ReceiptType.DELIVERED, message_id=uuid.uuid4(), sent_at=now)
    body = build_receipt(receipt)
    return body, runtime.keyring.sign(body)


async def _store_receipt(services: Services, received: Received) -> InboxAnswer:
    """A business receipt (签收, 退文, 办结): recorded under the unique key and applied to the delivery."""
    async with services.unit_of_work(None, received.context) as uow:
        uow.session.add(InboxMessage(**_inbox_values(received, uow.now)))
        await uow.session.flush()  # the unique (sender node, message id) decides here: a replay stops now
        await apply_business_receipt(uow, received.verified)
        await uow.commit()
    return InboxAnswer(204)


async def _original_answer(services: Services, verified: VerifiedMessage) -> InboxAnswer:
    async with services.sessions() as session:
        row = (
            await session.execute(
                select(InboxMessage).where(InboxMessage.sender_node_id == verified.sender_node_id,
                                           InboxMessage.message_id == str(verified.message_id))
            )
        ).scalar_one()
    if row.receipt_body is None or row.receipt_signature is None:
        return InboxAnswer(204, replay=True)
    return InboxAnswer(200, row.receipt_body, row.receipt_signature, replay=True)
