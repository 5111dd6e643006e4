"""The envelope of a dispatched document for one recipient: its elements, body, attachments and seal.

Reads the document's rows and files; the XML itself is built by the pure exchange core.
"""

from __future__ import annotations

import importlib.util
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from docflow.attachments.blobs import BlobStore
from docflow.attachments.models import DocumentAttachment
from docflow.exchange.envelope import Attachment, BodyBlock, DocumentElements, Envelope, Seal
from docflow.exchange.message_header import MessageHeader, MessageKind
from docflow.outgoing.models import Document
from oa.org.models import Unit

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


@dataclass(frozen=True, slots=True)
class Material:
    """What every envelope of one dispatched document carries besides its rows: who sends, the attachment
    files, the latest seal."""

    sender_unit: str
    attachments: tuple[Attachment, ...]
    seal: Seal | None


@cache
def _material_query() -> Select[Any]:
    """Built once: constructing this statement costs more CPU than running it, and it runs at every 核发."""
    columns: list[Any] = [Unit.code, DocumentAttachment.filename, DocumentAttachment.media_type,
                          DocumentAttachment.sha256]
    document_id = bindparam("document_id", type_=Integer)
    query = (select(*columns).select_from(Unit)
             .outerjoin(DocumentAttachment, DocumentAttachment.document_id == document_id))
    if importlib.util.find_spec("docflow.seals.models") is not None:  # the seals module is optional
        from docflow.seals.models import DocumentSeal

        newer = aliased(DocumentSeal)
        latest = select(func.max(newer.id)).where(newer.document_id == document_id).scalar_subquery()
        query = query.add_columns(DocumentSeal.algorithm, DocumentSeal.key_id, DocumentSeal.signature,
                                  DocumentSeal.signed_at, DocumentSeal.unit_code
                                  ).outerjoin(DocumentSeal, DocumentSeal.id == latest)
    return query.where(Unit.id == bindparam("unit_id")).order_by(DocumentAttachment.id)


async def material_of(session: AsyncSession, document: Document, data_dir: Path) -> Material:
    """The sending unit's code, the attachment files and the latest seal applied at 用印 (when the seals module
    is installed), read in one round trip: one row per attachment (or one row without), each carrying the unit's
    code and the seal's columns."""
    rows = (await session.execute(_material_query(), {"document_id": document.id, "unit_id": document.unit_id})
            ).all()
    first = rows[0]
    seal = None
    if len(first) > 4 and first[4] is not None:
        seal = Seal(algorithm=first[4], key_id=first[5], signature_value=first[6], signed_at=first[7],
                    sealing_unit=first[8])
    store = BlobStore(data_dir)
    # The envelope carries the media type's essence ("text/plain"): parameters such as "; charset=utf-8" are not
    # part of the exchange schema's type, and the bytes themselves travel unchanged.
    attachments = tuple(Attachment.of(row[1], row[2].split(";", 1)[0].strip().lower(),
                                      store.path_of(row[3]).read_bytes()) for row in rows if row[1] is not None)
    return Material(first[0], attachments, seal)


def envelope_for(document: Document, *, sender_unit: str, recipient_unit: str, message_id: uuid.UUID,
                 process_id: uuid.UUID, now: datetime, attachments: tuple[Attachment, ...],
                 seal: Seal | None) -> Envelope:
    header = MessageHeader(message_id=message_id, process_id=process_id, kind=MessageKind.DOCUMENT,
                           sender_unit=sender_unit, recipient_unit=recipient_unit, sent_at=now)
    blocks = tuple(BodyBlock(int(b["level"]), str(b["text"])) for b in document.content.get("body") or ())
    return Envelope(header, elements_of(document, now.astimezone(CHINA).date()), blocks, attachments, seal)
