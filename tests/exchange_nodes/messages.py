"""Builders of exchange messages for the two-node tests: a valid 公文 from a unit on node A to a unit on node B,
signed with node A's real key, and ways to spoil it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx

from docflow.exchange.envelope import Attachment, BodyBlock, DocumentElements, Envelope, build_envelope
from docflow.exchange.message_header import MessageHeader, MessageKind
from docflow.exchange.namespaces import PROTOCOL_VERSION
from docflow.exchange.outgoing import CONTENT_TYPE, INBOX_PATH
from docflow.exchange.receive import SIGNATURE_HEADER, VERSION_HEADER
from docflow.exchange.signing import NodeKeyring

XXE_PROLOG = b'<!DOCTYPE envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
BILLION_LAUGHS = (
    b'<!DOCTYPE envelope [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
               for i in range(1, 10))
    + b"]>"
)


def envelope(sender: str = "XSX", recipient: str = "DDJD", *, attachment: bytes | None = None,
             title: str = "关于开展冬季消防安全检查的通知") -> Envelope:
    header = MessageHeader(message_id=uuid.uuid4(), process_id=uuid.uuid4(), kind=MessageKind.DOCUMENT,
                           sender_unit=sender, recipient_unit=recipient, sent_at=datetime.now(UTC))
    return Envelope(
        header=header,
        document=DocumentElements(identifier=str(uuid.uuid4()), doc_type="通知", title=title,
                                  issuers=("象山县人民政府",), written_on=date(2026, 11, 25), publication_level="不公开",
                                  doc_number="象政发〔2026〕9号", main_recipients=("丹东街道",)),
        body=(BodyBlock(0, "请各单位认真开展检查。"),),
        attachments=() if attachment is None else (Attachment.of("检查表.pdf", "application/pdf", attachment),),
    )


def with_prolog(body: bytes, prolog: bytes) -> bytes:
    declaration, rest = body.split(b"?>", 1)
    return declaration + b"?>" + prolog + rest


async def post(url: str, body: bytes, signature: str | None, version: str | None = PROTOCOL_VERSION
               ) -> httpx.Response:
    headers: dict[str, Any] = {"Content-Type": CONTENT_TYPE}
    if version is not None:
        headers[VERSION_HEADER] = version
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    async with httpx.AsyncClient(timeout=30) as client:
        return await client.post(url.rstrip("/") + INBOX_PATH, content=body, headers=headers)


def signed(keyring: NodeKeyring, e: Envelope) -> tuple[bytes, str]:
    body = build_envelope(e)
    return body, keyring.sign(body)
