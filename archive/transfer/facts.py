"""Reading a dispatched document's facts for its package: rows in, `DocumentFacts` and task opinions out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from archive.transfer.final_copy import written_date
from archive.transfer.package_input import ActionFact, AttachmentFact, DocumentFacts, PersonFact
from docflow.attachments.blobs import BlobStore
from docflow.attachments.models import DocumentAttachment
from docflow.outgoing.models import Document, DocumentAction, DocumentTask
from oa.org.models import Person, Unit

FORMAT_OF_MEDIA_TYPE = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF",
                        "application/ofd": "OFD", "text/plain": "TXT", "application/xml": "XML",
                        "application/zip": "ZIP"}


def _names(recipients: Any) -> tuple[str, ...]:
    return tuple(str(r["name"]) for r in recipients or () if r.get("name"))


async def document_facts(session: AsyncSession, document: Document, unit: Unit, blobs: BlobStore,
                         archived_by: int) -> tuple[DocumentFacts, tuple[dict[str, Any], ...]]:
    actions = (await session.execute(select(DocumentAction).where(DocumentAction.document_id == document.id)
                                     .order_by(DocumentAction.at, DocumentAction.id))).scalars().all()
    tasks = (await session.execute(select(DocumentTask).where(DocumentTask.document_id == document.id)
                                   .order_by(DocumentTask.task_no))).scalars().all()
    attachments = (await session.execute(select(DocumentAttachment)
                                         .where(DocumentAttachment.document_id == document.id)
                                         .order_by(DocumentAttachment.id))).scalars().all()
    person_ids = ({a.actor_id for a in actions} | {a.acting_for_id for a in actions if a.acting_for_id}
                  | {t.holder_id for t in tasks} | {archived_by})
    people = {p.id: PersonFact(p.id, p.name, p.position or "") for p in (await session.execute(
        select(Person).where(Person.id.in_(person_ids)))).scalars()}
    content = document.content
    facts = DocumentFacts(
        identifier=document.identifier,
        document_id=document.id,
        unit_code=unit.code,
        unit_name=unit.name,
        title=document.title,
        doc_number=document.doc_number,
        doc_type=document.doc_type,
        urgency=document.urgency or "",
        written_date=written_date(document),
        responsible=tuple(str(n) for n in content.get("issuer_names") or ()) or (unit.name,),
        main_recipients=_names(content.get("main_recipients")),
        copy_recipients=_names(content.get("copy_recipients")),
        classification=str(content.get("classification") or "公开"),
        public=str(content.get("publication_level") or "") == "公开",
        actions=tuple(ActionFact(a.action, a.actor_id, a.acting_for_id, a.from_state, a.to_state, a.note, a.at)
                      for a in actions),
        people=people,
        attachments=tuple(AttachmentFact(a.title, a.filename, FORMAT_OF_MEDIA_TYPE.get(a.media_type, a.media_type),
                                         blobs.path_of(a.sha256)) for a in attachments),
        body_text="\n".join(str(b.get("text", "")) for b in content.get("body") or ()),
    )
    task_rows = tuple({"step": t.step.value, "holder_id": t.holder_id, "opinion": t.opinion,
                       "outcome": t.outcome.value if t.outcome else "",
                       "closed_at": t.closed_at.isoformat() if t.closed_at else ""} for t in tasks)
    return facts, task_rows


def signer_names(document: Document, people: dict[int, PersonFact]) -> tuple[str, ...]:
    signoff = (document.flow or {}).get("signoff") or {}
    signer = signoff.get("signer")
    if signer is None:
        return ()
    person = people.get(int(signer))
    return (person.name,) if person else ()


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """A window in UTC wide enough to hold every document of a China-time year (filtered exactly afterwards)."""
    return (dt.datetime(year - 1, 12, 31, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 2, tzinfo=dt.UTC))
