"""Use cases of distribution: `distribute` at 核发, business receipts from the receiving side, and resending.

Everything here runs in the caller's unit of work: the outbox rows are written in the same transaction as the
action that causes them, and the worker is rung only after that transaction commits.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.distribution.envelopes import Material, envelope_for, material_of
from docflow.distribution.models import Delivery, DeliveryStatus, MessageKind, OutboxMessage, OutboxStatus
from docflow.exchange.directory import Directory
from docflow.exchange.directory_store import cached_directory
from docflow.exchange.envelope import Envelope
from docflow.exchange.message_header import InReplyTo, MessageHeader
from docflow.exchange.message_header import MessageKind as WireKind
from docflow.exchange.outgoing import NoRouteToUnit, OutgoingMessage, prepare_outgoing
from docflow.exchange.receipts import Receipt, ReceiptType
from docflow.exchange.runtime import ExchangeRuntime, runtime_of, wake_after_commit
from docflow.outgoing.models import Document
from oa.auth.principal import Principal
from oa.errors import Conflict, Forbidden, NotFound
from oa.org.models import Unit
from oa.org.roles import Role
from oa.uow import UnitOfWork


async def unit_code_of(session: AsyncSession, unit_id: int) -> str:
    code: str = (await session.execute(select(Unit.code).where(Unit.id == unit_id))).scalar_one()
    return code


def outbox_row(message: OutgoingMessage, *, kind: MessageKind, sender_unit: str, recipient_unit: str,
               now: datetime, delivery_id: int | None) -> OutboxMessage:
    return OutboxMessage(
        message_id=str(message.message_id), process_id=str(message.process_id), kind=kind,
        sender_unit=sender_unit, recipient_unit=recipient_unit, target_node_id=message.target_node_id,
        delivery_id=delivery_id, body=message.body, signature=message.signature, status=OutboxStatus.PENDING,
        attempts=0, next_attempt_at=now, last_error="", answer={}, created_at=now,
    )


async def distribute(uow: UnitOfWork, document: Document) -> list[Delivery]:
    """At 核发: one delivery row per 主送 and 抄送 recipient; a signed outbox message for each unit the
    directory can route to; 需线下送达 for free-text organs."""
    session, now = uow.session, uow.now
    runtime = runtime_of(session)
    directory = await cached_directory(session, runtime)
    material = await material_of(session, document, runtime.data_dir)
    recipients = [(r, False) for r in document.content.get("main_recipients") or ()]
    recipients += [(r, True) for r in document.content.get("copy_recipients") or ()]
    deliveries: list[Delivery] = []
    for position, (recipient, copy_to) in enumerate(recipients, start=1):
        code = recipient.get("unit_code")
        delivery = Delivery(document_id=document.id, position=position, copy_to=copy_to, recipient_code=code,
                            recipient_name=recipient["name"], status=DeliveryStatus.OFFLINE, reasons=[], note="",
                            created_at=now, updated_at=now)
        deliveries.append(delivery)
    # Every message is built and signed before anything is written, so each delivery row is inserted once
    # with its final status (the outbox rows need the deliveries' ids: they follow one flush later).
    messages = [(delivery, _prepare_document(uow, runtime, directory, document, delivery, material))
                for delivery in deliveries if delivery.recipient_code]
    session.add_all(deliveries)
    await session.flush()
    for delivery, message in messages:
        if message is not None:
            _add_outbox_row(uow, message, delivery, material.sender_unit)
    uow.audit("docflow.distribution.distribute", target_type="document", target_id=document.id,
              unit_id=document.unit_id,
              detail={"recipients": [[d.recipient_code, d.recipient_name, d.status.value] for d in deliveries]})
    wake_after_commit(session)
    return deliveries


def _prepare_document(uow: UnitOfWork, runtime: ExchangeRuntime, directory: Directory, document: Document,
                      delivery: Delivery, material: Material) -> OutgoingMessage | None:
    """Build, sign and route the message for one recipient unit and set the delivery's status to match
    (sent, or unroutable with the reason); no database access."""
    assert delivery.recipient_code is not None
    message_id, process_id = uuid.uuid4(), uuid.uuid4()
    envelope: Envelope = envelope_for(document, sender_unit=material.sender_unit,
                                      recipient_unit=delivery.recipient_code, message_id=message_id,
                                      process_id=process_id, now=uow.now, attachments=material.attachments,
                                      seal=material.seal)
    try:
        message = prepare_outgoing(envelope, keyring=runtime.keyring, directory=directory)
    except NoRouteToUnit as exc:
        delivery.status, delivery.reasons = DeliveryStatus.UNROUTABLE, [str(exc)]
        return None
    delivery.status, delivery.reasons = DeliveryStatus.SENT, []
    delivery.message_id, delivery.process_id = str(message_id), str(process_id)
    return message


def _add_outbox_row(uow: UnitOfWork, message: OutgoingMessage, delivery: Delivery, sender_unit: str) -> None:
    assert delivery.recipient_code is not None
    uow.session.add(outbox_row(message, kind=MessageKind.DOCUMENT, sender_unit=sender_unit,
                               recipient_unit=delivery.recipient_code, now=uow.now, delivery_id=delivery.id))


async def send_business_receipt(uow: UnitOfWork, *, original: MessageHeader, receipt_type: ReceiptType,
                                handled_by: str | None, reasons: tuple[str, ...] = (), note: str | None = None,
                                ) -> None:
    """签收 / 退文 / 办结 back to the sending unit through the outbox (the same worker, the same pipeline)."""
    session, now = uow.session, uow.now
    runtime = runtime_of(session)
    directory = await cached_directory(session, runtime)
    header = MessageHeader(message_id=uuid.uuid4(), process_id=original.process_id, kind=WireKind.RECEIPT,
                           sender_unit=original.recipient_unit, recipient_unit=original.sender_unit, sent_at=now,
                           in_reply_to=InReplyTo(original.process_id, original.message_id))
    receipt = Receipt(header, receipt_type, now, handled_by, reasons, note)
    try:
        message = prepare_outgoing(receipt, keyring=runtime.keyring, directory=directory)
    except NoRouteToUnit as exc:
        raise Conflict(f"无法向发文单位发送{receipt_type.value}回执：{exc}") from exc
    session.add(outbox_row(message, kind=MessageKind.RECEIPT, sender_unit=header.sender_unit,
                           recipient_unit=header.recipient_unit, now=now, delivery_id=None))
    wake_after_commit(session)


async def resend(uow: UnitOfWork, me: Principal, delivery_id: int) -> Delivery:
    """Send a finally-failed (or unroutable) delivery again: the same message and id when it was built, a new
    message when the directory had no route for it before."""
    session = uow.session
    delivery = (await session.execute(select(Delivery).where(Delivery.id == delivery_id).with_for_update())
                ).scalar_one_or_none()
    if delivery is None:
        raise NotFound(f"分发记录 {delivery_id} 不存在")
    document = await session.get(Document, delivery.document_id)
    assert document is not None
    if document.unit_id != me.unit_id or Role.REGISTRAR not in me.roles:
        raise Forbidden("只有发文单位的文书/收发可以重新发送")
    if delivery.status not in {DeliveryStatus.FAILED, DeliveryStatus.UNROUTABLE}:
        raise Conflict("只有发送失败或无法路由的分发才能重新发送")
    before = delivery.status
    if delivery.status is DeliveryStatus.FAILED:
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.delivery_id == delivery.id)
                                     .with_for_update())).scalar_one()
        row.status, row.attempts, row.next_attempt_at, row.claimed_until = OutboxStatus.PENDING, 0, uow.now, None
        delivery.status = DeliveryStatus.SENT
    else:
        runtime = runtime_of(session)
        directory = await cached_directory(session, runtime)
        material = await material_of(session, document, runtime.data_dir)
        message = _prepare_document(uow, runtime, directory, document, delivery, material)
        if message is None:
            raise Conflict(f"仍无法路由：{delivery.reasons[0]}")
        _add_outbox_row(uow, message, delivery, material.sender_unit)
    delivery.updated_at = uow.now
    uow.audit("docflow.distribution.resend", target_type="delivery", target_id=delivery.id, unit_id=document.unit_id,
              detail={"document_id": document.id, "recipient": delivery.recipient_code, "from": before.value})
    wake_after_commit(session)
    return delivery


async def deliveries_of(session: AsyncSession, document_id: int) -> list[tuple[Delivery, OutboxMessage | None]]:
    rows = (
        await session.execute(
            select(Delivery, OutboxMessage).outerjoin(OutboxMessage, OutboxMessage.delivery_id == Delivery.id)
            .where(Delivery.document_id == document_id).order_by(Delivery.position)
        )
    ).all()
    return [(delivery, outbox) for delivery, outbox in rows]
