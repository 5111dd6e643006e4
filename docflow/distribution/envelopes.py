"""The envelope of a dispatched document for one recipient: its elements, body, attachments and seal.

Reads the document's rows and files; the XML itself is built by the pure exchange core.
"""

from __future__ import annotations

import importlib.util
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.attachments.blobs import BlobStore
from docflow.attachments.models import DocumentAttachment
from docflow.exchange.envelope import Attachment, BodyBlock, DocumentElements, Envelope, Seal
from docflow.exchange.message_header import MessageHeader, MessageKind
from docflow.outgoing.models import Document

CHINA = ZoneInfo("Asia/Shanghai")


def elements_of(document: Document, today: date) -> DocumentElements:
    c: dict[str, Any] = document.content
    written = c.get("written_date")
    return DocumentElements(
        identifier=document.identifier,
        doc_type=document.doc_type,
        title=document.title,
        issuers=tuple(c.get("issuer_names") or ()),
        written_on=date.fromisoformat(written) if written else today,
        publication_level=c.get("publication_level") or "不公开",
        doc_number=document.doc_number,
        copy_number=c.get("copy_number"),
        classification=c.get("classification"),
        secrecy_period=c.get("secrecy_period"),
        urgency=document.urgency,
        issuer_mark=c.get("issuer_mark"),
        signers=tuple(c.get("signers") or ()),
        main_recipients=tuple(r["name"] for r in c.get("main_recipients") or ()),
        note=c.get("notes") or None,
        copy_to=tuple(r["name"] for r in c.get("copy_recipients") or ()),
        printed_by=c.get("printing_organ") or None,
        printed_on=today,
    )


async def seal_of(session: AsyncSession, document: Document) -> Seal | None:
    """The latest seal applied at 用印, when the seals module is installed."""
    if importlib.util.find_spec("docflow.seals.models") is None:
        return None
    from docflow.seals.models import DocumentSeal

    row = (
        await session.execute(
            select(DocumentSeal).where(DocumentSeal.document_id == document.id).order_by(DocumentSeal.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if row is None:
        return None
    return Seal(algorithm=row.algorithm, key_id=row.key_id, signature_value=row.signature, signed_at=row.signed_at,
                sealing_unit=row.unit_code)


async def attachments_of(session: AsyncSession, document: Document, data_dir: Path) -> tuple[Attachment, ...]:
    """The document's attachment files, when the attachments module is installed (bytes read from its store)."""
    rows = (
        await session.execute(
            select(DocumentAttachment).where(DocumentAttachment.document_id == document.id)
            .order_by(DocumentAttachment.id)
        )
    ).scalars().all()
    store = BlobStore(data_dir)
    # The envelope carries the media type's essence ("text/plain"): parameters such as "; charset=utf-8" are not
    # part of the exchange schema's type, and the bytes themselves travel unchanged.
    return tuple(Attachment.of(row.filename, row.media_type.split(";", 1)[0].strip().lower(),
                               store.path_of(row.sha256).read_bytes()) for row in rows)


def envelope_for(document: Document, *, sender_unit: str, recipient_unit: str, message_id: uuid.UUID,
                 process_id: uuid.UUID, now: datetime, attachments: tuple[Attachment, ...],
                 seal: Seal | None) -> Envelope:
    header = MessageHeader(message_id=message_id, process_id=process_id, kind=MessageKind.DOCUMENT,
                           sender_unit=sender_unit, recipient_unit=recipient_unit, sent_at=now)
    blocks = tuple(BodyBlock(int(b["level"]), str(b["text"])) for b in document.content.get("body") or ())
    return Envelope(header, elements_of(document, now.astimezone(CHINA).date()), blocks, attachments, seal)
