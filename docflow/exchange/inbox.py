"""The receive pipeline: what this node does with a message, whether it came over HTTP or from its own outbox.

`receive` runs `check_incoming` (a refusal stores nothing), then in ONE transaction records the message under
the unique (sender node, message id), files a 公文 into the recipient unit's incoming queue (or applies a
business receipt to the sender's delivery status), writes the audit record, and for a 公文 signs and stores
the 送达 receipt it answers with. A replay hits the unique constraint and gets the receipt stored the first
time: exactly one incoming document per message, however often the sender retries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from docflow.distribution.models import MessageKind
from docflow.distribution.receipts_in import apply_business_receipt
from docflow.exchange.directory import Directory
from docflow.exchange.directory_store import cached_directory
from docflow.exchange.envelope import Envelope
from docflow.exchange.namespaces import PROTOCOL_VERSION
from docflow.exchange.outgoing import CONTENT_TYPE
from docflow.exchange.receipts import ReceiptType, build_receipt, receipt_for
from docflow.exchange.receive import SIGNATURE_HEADER, VERSION_HEADER, VerifiedMessage, check_incoming
from docflow.exchange.runtime import ExchangeRuntime
from docflow.incoming.intake import file_incoming
from docflow.incoming.models import InboxMessage
from oa.auth.principal import RequestContext
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
    try:
        return await _store(services, runtime, verified, signature or "", context or RequestContext(ip="exchange"))
    except IntegrityError:
        return await _original_answer(services, verified)


async def _store(services: Services, runtime: ExchangeRuntime, verified: VerifiedMessage, signature: str,
                 context: RequestContext) -> InboxAnswer:
    async with services.unit_of_work(None, context) as uow:
        kind = MessageKind.DOCUMENT if isinstance(verified.message, Envelope) else MessageKind.RECEIPT
        row = InboxMessage(sender_node_id=verified.sender_node_id, message_id=str(verified.message_id),
                           process_id=str(verified.process_id), kind=kind, kid=verified.kid, body=verified.body,
                           signature=signature, received_at=uow.now)
        if isinstance(verified.message, Envelope):
            # The receipt needs nothing from the database: build and sign it first, so the row is written once.
            receipt = receipt_for(verified.message.header, ReceiptType.DELIVERED, message_id=uuid.uuid4(),
                                  sent_at=uow.now)
            row.receipt_body = build_receipt(receipt)
            row.receipt_signature = runtime.keyring.sign(row.receipt_body)
        uow.session.add(row)
        await uow.session.flush()  # the unique (sender node, message id) decides here: a replay stops now
        if isinstance(verified.message, Envelope):
            envelope = verified.message
            incoming = await file_incoming(uow, envelope, inbox_message_id=row.id,
                                           sender_node_id=verified.sender_node_id)
            uow.audit("exchange.inbox.document", target_type="incoming_document", target_id=incoming.id,
                      unit_id=incoming.unit_id,
                      detail={"sender_node": verified.sender_node_id, "message_id": str(verified.message_id),
                              "sender_unit": envelope.header.sender_unit, "title": envelope.document.title})
            assert row.receipt_body is not None
            answer = InboxAnswer(200, row.receipt_body, row.receipt_signature)
        else:
            await apply_business_receipt(uow, verified)
            answer = InboxAnswer(204)
        await uow.commit()
    return answer


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
