"""Filing a received 公文 into the recipient unit's incoming queue (待签收), and who is told about it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.exchange.envelope import Envelope
from docflow.exchange.errors import RecipientNotHostedHere
from docflow.incoming.models import IncomingAttachment, IncomingDocument, Source
from docflow.incoming.rules import State
from oa.org.models import Person, PersonRole, Unit
from oa.org.roles import Role
from oa.uow import UnitOfWork


async def unit_and_registrars(session: AsyncSession, code: str) -> tuple[int | None, list[int]]:
    """The unit's id and its active registrars, in one round trip (this runs for every delivered message)."""
    registrars = (
        select(Person.id.label("person_id"), Person.unit_id.label("unit_id"))
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.active.is_(True), PersonRole.role == Role.REGISTRAR)
        .subquery()
    )
    rows = (
        await session.execute(
            select(Unit.id, registrars.c.person_id).outerjoin(registrars, registrars.c.unit_id == Unit.id)
            .where(Unit.code == code)
        )
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [person_id for _, person_id in rows if person_id is not None]


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


async def file_incoming(uow: UnitOfWork, envelope: Envelope, *, inbox_message_id: int,
                        sender_node_id: str) -> IncomingDocument:
    session, header = uow.session, envelope.header
    unit_id, registrars = await unit_and_registrars(session, header.recipient_unit)
    if unit_id is None:
        # The directory says we host it but the unit is not in our database: refuse rather than lose it.
        raise RecipientNotHostedHere(f"收文单位 {header.recipient_unit} 不在本节点的单位名录中")
    seal = envelope.seal
    incoming = IncomingDocument(
        unit_id=unit_id, source=Source.EXCHANGE, inbox_message_id=inbox_message_id,
        sender_unit_code=header.sender_unit,
        sender_name="、".join(envelope.document.issuers) or header.sender_unit,
        message_id=str(header.message_id), process_id=str(header.process_id),
        title=envelope.document.title, doc_type=envelope.document.doc_type,
        doc_number=envelope.document.doc_number, urgency=envelope.document.urgency,
        elements={**elements_json(envelope), "sender_node": sender_node_id},
        body=[{"level": block.level, "text": block.text} for block in envelope.body],
        seal=None if seal is None else {
            "algorithm": seal.algorithm, "key_id": seal.key_id, "signature": seal.signature_value,
            "signed_at": seal.signed_at.isoformat(), "sealing_unit": seal.sealing_unit,
        },
        state=State.RECEIVED, received_at=uow.now, updated_at=uow.now, return_reasons=[], helper_office_ids=[],
    )
    session.add(incoming)
    await session.flush()
    session.add_all(
        IncomingAttachment(incoming_id=incoming.id, position=number, filename=a.filename, media_type=a.media_type,
                           size=a.size, sha256=a.sha256, content=a.content)
        for number, a in enumerate(envelope.attachments, start=1)
    )
    uow.notify(registrars, "incoming.received",
               {"incoming_id": incoming.id, "title": incoming.title, "sender": incoming.sender_name})
    return incoming
