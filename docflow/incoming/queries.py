"""Read side of incoming documents: the lists (未签收, 待办, 待阅, 全部) and the detail view."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.incoming.models import IncomingAction, IncomingAttachment, IncomingDocument, IncomingReader
from docflow.incoming.rules import STATE_LABELS, TRANSITIONS, Action, State
from docflow.incoming.schemas import (
    IncomingAttachmentOut,
    IncomingHistoryOut,
    IncomingListQuery,
    IncomingOut,
    IncomingPage,
    IncomingReaderOut,
    IncomingSummary,
)
from oa.auth.principal import Principal
from oa.org.models import Person
from oa.org.roles import Role

REGISTRAR_TODO = (State.SIGNED_FOR, State.REGISTERED, State.ACCEPTED, State.INSTRUCTED)


def box_query(me: Principal, box: str) -> Select[tuple[IncomingDocument]]:
    query = select(IncomingDocument).where(IncomingDocument.unit_id == me.unit_id)
    if box == "unsigned":
        return query.where(IncomingDocument.state == State.RECEIVED)
    if box == "toread":
        return query.where(exists().where(IncomingReader.incoming_id == IncomingDocument.id,
                                          IncomingReader.person_id == me.person_id, IncomingReader.read_at.is_(None)))
    if box == "todo":
        mine = [and_(IncomingDocument.state == State.PROPOSED, IncomingDocument.leader_id == me.person_id)]
        if me.has(Role.REGISTRAR):
            mine.append(IncomingDocument.state.in_(REGISTRAR_TODO))
        if me.office_id is not None:
            mine.append(and_(IncomingDocument.state == State.IN_PROGRESS,
                             IncomingDocument.lead_office_id == me.office_id))
        return query.where(or_(*mine))
    return query


async def list_incoming(session: AsyncSession, me: Principal, q: IncomingListQuery) -> IncomingPage:
    query = box_query(me, q.box)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = (
        await session.execute(query.order_by(IncomingDocument.received_at.desc(), IncomingDocument.id.desc())
                              .offset((q.page - 1) * q.page_size).limit(q.page_size))
    ).scalars().all()
    return IncomingPage(items=[summary(row) for row in rows], total=total)


def summary(row: IncomingDocument) -> IncomingSummary:
    return IncomingSummary(
        id=row.id, state=row.state, state_label=STATE_LABELS[row.state], title=row.title, doc_type=row.doc_type,
        doc_number=row.doc_number, urgency=row.urgency, sender_name=row.sender_name,
        register_number=row.register_number, received_at=row.received_at, deadline=row.deadline,
    )


async def detail(session: AsyncSession, me: Principal, row: IncomingDocument) -> IncomingOut:
    readers = (
        await session.execute(
            select(IncomingReader, Person.name).join(Person, Person.id == IncomingReader.person_id)
            .where(IncomingReader.incoming_id == row.id).order_by(IncomingReader.sent_at, IncomingReader.person_id)
        )
    ).all()
    attachments = (
        await session.execute(select(IncomingAttachment).where(IncomingAttachment.incoming_id == row.id)
                              .order_by(IncomingAttachment.position))
    ).scalars().all()
    history = (
        await session.execute(select(IncomingAction).where(IncomingAction.incoming_id == row.id)
                              .order_by(IncomingAction.id))
    ).scalars().all()
    actions = [action for (state, action) in TRANSITIONS if state is row.state]
    unread = any(r.person_id == me.person_id and r.read_at is None for r, _ in readers)
    if Action.READ in actions and not unread:
        actions.remove(Action.READ)
    base = summary(row).model_dump()
    return IncomingOut(
        **base, source=row.source.value, sender_unit_code=row.sender_unit_code, elements=row.elements,
        body=row.body, seal=row.seal, signed_for_at=row.signed_for_at, registered_at=row.registered_at,
        return_reasons=row.return_reasons, proposal=row.proposal, leader_id=row.leader_id,
        instruction=row.instruction, lead_office_id=row.lead_office_id, helper_office_ids=row.helper_office_ids,
        reply_document_id=row.reply_document_id, closed_at=row.closed_at,
        readers=[IncomingReaderOut(person_id=r.person_id, name=name, sent_at=r.sent_at, read_at=r.read_at)
                 for r, name in readers],
        attachments=[IncomingAttachmentOut(position=a.position, filename=a.filename, media_type=a.media_type,
                                           size=a.size, sha256=a.sha256) for a in attachments],
        history=[IncomingHistoryOut(action=h.action, actor_id=h.actor_id, from_state=h.from_state,
                                    to_state=h.to_state, note=h.note, at=h.at) for h in history],
        actions=actions,
    )
