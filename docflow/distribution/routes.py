"""HTTP routes of distribution: what the sender sees per recipient, and resending a failed delivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from docflow.distribution import service
from docflow.distribution.models import DELIVERY_LABELS, DeliveryStatus
from docflow.outgoing.access import can_read
from docflow.outgoing.models import Document
from oa.errors import Forbidden, NotFound
from oa.web.api import ApiRouter, Call
from oa.web.schemas import Output

router = ApiRouter()
TAGS = ("发文",)


class DeliveryOut(Output):
    id: int
    position: int
    copy_to: bool
    recipient_code: str | None
    recipient_name: str
    status: DeliveryStatus
    status_label: str
    reasons: list[str]
    note: str
    message_id: str | None
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    signed_for_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime


class DeliveryList(Output):
    items: list[DeliveryOut]


@router.route("GET", "/api/documents/{document_id:int}/deliveries",
              summary="分发情况：每个收文单位的已发送、已送达、已签收、已退文（理由）、已办结", tags=TAGS,
              response=DeliveryList, extra_responses={404: "公文不存在"})
async def list_deliveries(call: Call[Any, Any]) -> DeliveryList:
    async with call.services.sessions() as session:
        document = await session.get(Document, call.path_int("document_id"))
        if document is None:
            raise NotFound(f"公文 {call.path_int('document_id')} 不存在")
        if not await can_read(session, call.me, document):
            raise Forbidden("无权查看此公文")
        rows = await service.deliveries_of(session, document.id)
    return DeliveryList(items=[
        DeliveryOut(
            id=d.id, position=d.position, copy_to=d.copy_to, recipient_code=d.recipient_code,
            recipient_name=d.recipient_name, status=d.status, status_label=DELIVERY_LABELS[d.status],
            reasons=d.reasons, note=d.note, message_id=d.message_id, attempts=o.attempts if o else 0,
            last_error=o.last_error if o else "", next_attempt_at=o.next_attempt_at if o else None,
            delivered_at=d.delivered_at, signed_for_at=d.signed_for_at, returned_at=d.returned_at,
            closed_at=d.closed_at, updated_at=d.updated_at,
        )
        for d, o in rows
    ])


@router.route("POST", "/api/deliveries/{delivery_id:int}/resend", summary="重新发送失败的分发", tags=TAGS,
              status=204, extra_responses={409: "该分发不是失败状态"})
async def resend(call: Call[Any, Any]) -> None:
    async with call.uow() as uow:
        await service.resend(uow, call.me, call.path_int("delivery_id"))
        await uow.commit()
