"""Applying a business receipt (签收, 退文, 办结) from a recipient to the sender's per-recipient delivery status.

Statuses only move forward (a late 送达 never hides a 签收 that overtook it); the receipt must come from the
unit the delivery went to, in the delivery's own process, else it is recorded and ignored.
"""

from __future__ import annotations

from sqlalchemy import select

from docflow.distribution.models import Delivery, DeliveryStatus
from docflow.exchange.receipts import Receipt, ReceiptType
from docflow.exchange.receive import VerifiedMessage
from docflow.outgoing.models import Document
from oa.uow import UnitOfWork

RANK: dict[DeliveryStatus, int] = {
    DeliveryStatus.OFFLINE: 0, DeliveryStatus.UNROUTABLE: 0, DeliveryStatus.SENT: 1, DeliveryStatus.FAILED: 1,
    DeliveryStatus.DELIVERED: 2, DeliveryStatus.SIGNED_FOR: 3, DeliveryStatus.RETURNED: 4,
    DeliveryStatus.CLOSED: 4,
}
"""Forward order of delivery statuses; 退文 and 办结 are both final."""

STATUS_OF_RECEIPT: dict[ReceiptType, DeliveryStatus] = {
    ReceiptType.DELIVERED: DeliveryStatus.DELIVERED,
    ReceiptType.SIGNED_FOR: DeliveryStatus.SIGNED_FOR,
    ReceiptType.RETURNED: DeliveryStatus.RETURNED,
    ReceiptType.CLOSED: DeliveryStatus.CLOSED,
}


def advance(delivery: Delivery, receipt: Receipt) -> bool:
    """Move the delivery to the receipt's status if that is forward; record the time. True if it moved."""
    target = STATUS_OF_RECEIPT[receipt.receipt_type]
    stamp = {DeliveryStatus.DELIVERED: "delivered_at", DeliveryStatus.SIGNED_FOR: "signed_for_at",
             DeliveryStatus.RETURNED: "returned_at", DeliveryStatus.CLOSED: "closed_at"}[target]
    if getattr(delivery, stamp) is None:
        setattr(delivery, stamp, receipt.at)
    if RANK[target] <= RANK[delivery.status]:
        return False
    delivery.status = target
    if target is DeliveryStatus.RETURNED:
        delivery.reasons = list(receipt.reasons)
    if receipt.note:
        delivery.note = receipt.note
    if target is DeliveryStatus.DELIVERED:
        delivery.reasons = []
    return True


async def apply_business_receipt(uow: UnitOfWork, verified: VerifiedMessage) -> Delivery | None:
    receipt = verified.message
    assert isinstance(receipt, Receipt)
    session = uow.session
    delivery = (
        await session.execute(
            select(Delivery).where(Delivery.message_id == str(receipt.original_message_id)).with_for_update()
        )
    ).scalar_one_or_none()
    matches = (delivery is not None and delivery.process_id == str(receipt.header.process_id)
               and delivery.recipient_code == receipt.header.sender_unit)
    if delivery is None or not matches:
        uow.audit("exchange.inbox.receipt_unmatched", target_type="message", target_id=str(verified.message_id),
                  detail={"sender_node": verified.sender_node_id, "type": receipt.receipt_type.value,
                          "original": str(receipt.original_message_id)})
        return None
    before = delivery.status
    moved = advance(delivery, receipt)
    delivery.updated_at = uow.now
    uow.audit(f"exchange.delivery.{STATUS_OF_RECEIPT[receipt.receipt_type].value}", target_type="delivery",
              target_id=delivery.id,
              detail={"document_id": delivery.document_id, "recipient": delivery.recipient_code,
                      "from": before.value, "to": delivery.status.value, "moved": moved,
                      "reasons": list(receipt.reasons)})
    if moved and receipt.receipt_type is not ReceiptType.DELIVERED:
        document = await session.get(Document, delivery.document_id)
        if document is not None:
            uow.notify([document.drafter_id], "outgoing.delivery",
                       {"document_id": document.id, "title": document.title, "recipient": delivery.recipient_name,
                        "status": delivery.status.value, "reasons": list(receipt.reasons)})
    return delivery
