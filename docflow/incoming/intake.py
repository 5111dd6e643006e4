"""Filing a received 公文 into the recipient unit's incoming queue (待签收), and who is told about it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.exchange.envelope import Envelope
from docflow.incoming.models import IncomingAttachment, IncomingDocument, Source
from docflow.incoming.rules import State
from oa.database import table_of
from oa.org.models import Person, PersonRole, Unit
from oa.org.roles import Role
from oa.uow import UnitOfWork


@cache
def _units_and_registrars_query() -> Select[tuple[int, str, int | None]]:
    """Built once (building it costs about as much CPU as running it); `codes` is bound at each call."""
    registrars = (
        select(Person.id.label("person_id"), Person.unit_id.label("unit_id"))
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.active.is_(True), PersonRole.role == Role.REGISTRAR)
        .subquery()
    )
    return (select(Unit.id, Unit.code, registrars.c.person_id)
            .outerjoin(registrars, registrars.c.unit_id == Unit.id)
            .where(Unit.code.in_(bindparam("codes", expanding=True))))


async def units_and_registrars(session: AsyncSession, codes: Collection[str]) -> dict[str, tuple[int, list[int]]]:
    """Each known unit's id and active registrars, by code, in one round trip for a whole group of messages
    (this runs for every delivered message). Units not in the database are absent from the answer."""
    found: dict[str, tuple[int, list[int]]] = {}
    if not codes:
        return found
    for unit_id, code, person_id in (await session.execute(_units_and_registrars_query(),
                                                                {"codes": sorted(set(codes))})).all():
        registrars = found.setdefault(code, (unit_id, []))[1]
        if person_id is not None:
            registrars.append(person_id)
    return found


async def people_with_role(session: AsyncSession, unit_id: int, role: Role) -> list[int]:
    rows = await session.execute(
        select(Person.id).join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.unit_id == unit_id, Person.active.is_(True), PersonRole.role == role)
    )
    return list(rows.scalars())


def elements_json(envelope: Envelope) -> dict[str, Any]:
    d = envelope.document
    return {
        "identifier": d.identifier, "doc_type": d.doc_type, "title": d.title, "issuers": list(d.issuers),
        "written_on": d.written_on.isoformat(), "publication_level": d.publication_level,
        "doc_number": d.doc_number, "copy_number": d.copy_number, "classification": d.classification,
        "secrecy_period": d.secrecy_period, "urgency": d.urgency, "issuer_mark": d.issuer_mark,
        "signers": list(d.signers), "main_recipients": list(d.main_recipients),
        "attachment_note": d.attachment_note, "note": d.note, "copy_to": list(d.copy_to),
        "printed_by": d.printed_by, "printed_on": None if d.printed_on is None else d.printed_on.isoformat(),
    }


# The tables rather than the classes: plain multi-row INSERTs, without the ORM's per-object bookkeeping.
_INCOMING = table_of(IncomingDocument)
_INSERT_INCOMING = insert(_INCOMING).returning(_INCOMING.c.id, _INCOMING.c.inbox_message_id)
_INSERT_ATTACHMENTS = insert(table_of(IncomingAttachment))


@dataclass(frozen=True, slots=True)
class Filing:
    """One received 公文 to file: its envelope, the inbox row it came in, and the recipient unit as found."""

    envelope: Envelope
    inbox_message_id: int
    sender_node_id: str
    unit_id: int
    registrars: tuple[int, ...]


def _sender_name(envelope: Envelope) -> str:
    return "、".join(envelope.document.issuers) or envelope.header.sender_unit


def _incoming_values(filing: Filing, now: datetime) -> dict[str, Any]:
    envelope, header, seal = filing.envelope, filing.envelope.header, filing.envelope.seal
    return {
        "unit_id": filing.unit_id, "source": Source.EXCHANGE, "inbox_message_id": filing.inbox_message_id,
        "sender_unit_code": header.sender_unit,
        "sender_name": _sender_name(envelope),
        "message_id": str(header.message_id), "process_id": str(header.process_id),
        "title": envelope.document.title, "doc_type": envelope.document.doc_type,
        "doc_number": envelope.document.doc_number, "urgency": envelope.document.urgency,
        "elements": {**elements_json(envelope), "sender_node": filing.sender_node_id},
        "body": [{"level": block.level, "text": block.text} for block in envelope.body],
        "seal": None if seal is None else {
            "algorithm": seal.algorithm, "key_id": seal.key_id, "signature": seal.signature_value,
            "signed_at": seal.signed_at.isoformat(), "sealing_unit": seal.sealing_unit,
        },
        "state": State.RECEIVED, "received_at": now, "updated_at": now, "return_reasons": [],
        "helper_office_ids": [],
    }


async def file_incoming(uow: UnitOfWork, filings: Sequence[Filing]) -> list[int]:
    """File received 公文 into their units' incoming queues (待签收) and tell each unit's registrars; returns
    the new incoming documents' ids, in the order of `filings`.

    The documents go in with one INSERT and their attachments with another, however many arrived together:
    each statement is a round trip inside the transaction that holds the audit chain's lock at its end.
    """
    if not filings:
        return []
    session, now = uow.session, uow.now
    inserted = await session.execute(_INSERT_INCOMING, [_incoming_values(filing, now) for filing in filings])
    id_by_inbox_row = {inbox_id: incoming_id for incoming_id, inbox_id in inserted.all()}
    ids = [id_by_inbox_row[filing.inbox_message_id] for filing in filings]
    attachments = [
        {"incoming_id": incoming_id, "position": number, "filename": a.filename, "media_type": a.media_type,
         "size": a.size, "sha256": a.sha256, "content": a.content}
        for filing, incoming_id in zip(filings, ids, strict=True)
        for number, a in enumerate(filing.envelope.attachments, start=1)
    ]
    if attachments:
        await session.execute(_INSERT_ATTACHMENTS, attachments)
    for filing, incoming_id in zip(filings, ids, strict=True):
        uow.notify(filing.registrars, "incoming.received",
                   {"incoming_id": incoming_id, "title": filing.envelope.document.title,
                    "sender": _sender_name(filing.envelope)})
    return ids
