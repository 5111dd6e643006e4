"""Use cases of incoming documents: every action through the pure state machine, manual registration, 答复.

Each action locks the incoming row, asks `rules.apply` for the move, then writes the new state, the data of
the step, one history row, the audit record, the events for the people concerned and — for 签收, 退文 and
办结 of a document that came through the exchange — the business receipt to the sender's outbox, all in the
caller's unit of work.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.distribution.service import send_business_receipt, unit_code_of
from docflow.exchange.message_header import MessageHeader, MessageKind
from docflow.exchange.receipts import ReceiptType
from docflow.incoming.intake import people_with_role
from docflow.incoming.models import IncomingAction, IncomingAttachment, IncomingDocument, IncomingReader, Source
from docflow.incoming.numbering import take_register_number
from docflow.incoming.rules import (
    Action,
    AlreadyDone,
    Facts,
    IllegalIncomingMove,
    MissingData,
    NotPermitted,
    SendReceipt,
    State,
    Transition,
    apply,
)
from docflow.incoming.schemas import IncomingActionIn, ManualRegisterIn, ReplyIn
from docflow.outgoing.models import Document
from docflow.outgoing.schemas import DraftCreate, RecipientIn
from oa.auth.principal import Principal
from oa.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from oa.org.models import Office, Person
from oa.org.roles import BUSINESS_ROLES, Role
from oa.settings import Settings
from oa.uow import UnitOfWork


async def lock_incoming(session: AsyncSession, incoming_id: int) -> IncomingDocument:
    row = (
        await session.execute(select(IncomingDocument).where(IncomingDocument.id == incoming_id).with_for_update())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"收文 {incoming_id} 不存在")
    return row


def require_unit_member(me: Principal, incoming: IncomingDocument) -> None:
    if not me.roles & BUSINESS_ROLES:
        raise Forbidden("管理员账号不能查看或办理公文（三员分立）")
    me.require_unit(incoming.unit_id)


async def readers_of(session: AsyncSession, incoming_id: int) -> dict[int, IncomingReader]:
    rows = (await session.execute(select(IncomingReader).where(IncomingReader.incoming_id == incoming_id))).scalars()
    return {row.person_id: row for row in rows}


async def _check_people_of_unit(session: AsyncSession, ids: list[int], unit_id: int, field: str) -> None:
    wanted = set(ids)
    if not wanted:
        return
    found = set((await session.execute(select(Person.id).where(Person.id.in_(wanted), Person.unit_id == unit_id,
                                                               Person.active.is_(True)))).scalars())
    missing = sorted(wanted - found)
    if missing:
        message = f"人员 {', '.join(map(str, missing))} 不是本单位的在岗人员"
        raise InvalidInput(message, errors=[FieldError(field, message)])


async def _check_offices_of_unit(session: AsyncSession, ids: list[int], unit_id: int) -> None:
    wanted = set(ids)
    found = set((await session.execute(select(Office.id).where(Office.id.in_(wanted), Office.unit_id == unit_id))
                 ).scalars())
    if wanted - found:
        raise InvalidInput("主办或协办处室不属于本单位", errors=[FieldError("lead_office_id", "处室不存在")])


def _transition(incoming: IncomingDocument, action: Action, facts: Facts) -> Transition:
    try:
        return apply(incoming.state, action, facts)
    except IllegalIncomingMove as exc:
        raise Conflict(str(exc)) from exc
    except NotPermitted as exc:
        raise Forbidden(str(exc)) from exc
    except AlreadyDone as exc:
        raise Conflict(str(exc)) from exc
    except MissingData as exc:
        raise InvalidInput(str(exc)) from exc


async def act(uow: UnitOfWork, me: Principal, incoming_id: int, data: IncomingActionIn) -> IncomingDocument:
    session, now = uow.session, uow.now
    incoming = await lock_incoming(session, incoming_id)
    require_unit_member(me, incoming)
    readers = await readers_of(session, incoming.id)
    new_readers = tuple(pid for pid in dict.fromkeys(data.readers) if pid not in readers)
    deadline = data.deadline
    if deadline is not None and deadline.tzinfo is None:
        raise InvalidInput("办理时限须带时区", errors=[FieldError("deadline", "须带时区")])
    facts = Facts(
        roles=me.roles, actor_id=me.person_id, readers=frozenset(readers), new_readers=new_readers,
        unread_by_actor=me.person_id in readers and readers[me.person_id].read_at is None,
        named_leader_id=data.leader_id if data.action is Action.PROPOSE else incoming.leader_id,
        reasons=tuple(data.reasons), text=data.text, lead_office_id=data.lead_office_id,
        deadline=None if deadline is None else deadline.astimezone(UTC), now=now,
    )
    transition = _transition(incoming, data.action, facts)
    note = await _carry_out(uow, me, incoming, data, transition, new_readers)
    await _record(uow, me, incoming, transition, note)
    for effect in transition.effects:
        await _send_receipt(uow, me, incoming, effect, data.text)
    return incoming


async def _carry_out(uow: UnitOfWork, me: Principal, incoming: IncomingDocument, data: IncomingActionIn,
                     transition: Transition, new_readers: tuple[int, ...]) -> str:
    """Write the data of the step; return the history note."""
    session, now = uow.session, uow.now
    match transition.action:
        case Action.SIGN_FOR:
            incoming.signed_for_at, incoming.signed_for_by_id = now, me.person_id
            return "签收"
        case Action.REGISTER:
            if data.title:
                incoming.title = data.title
            if data.doc_number is not None:
                incoming.doc_number = data.doc_number or None
            year, seq, number = await take_register_number(session, unit_id=incoming.unit_id, now=now)
            incoming.register_year, incoming.register_seq, incoming.register_number = year, seq, number
            incoming.registered_at = now
            return number
        case Action.ACCEPT:
            return data.text or "初审通过"
        case Action.RETURN:
            incoming.return_reasons = [r.strip() for r in data.reasons if r.strip()]
            return "；".join(incoming.return_reasons)
        case Action.CIRCULATE:
            await _check_people_of_unit(session, list(new_readers), incoming.unit_id, "readers")
            session.add_all(IncomingReader(incoming_id=incoming.id, person_id=pid, sent_by_id=me.person_id,
                                           sent_at=now) for pid in new_readers)
            uow.notify(new_readers, "incoming.circulate", {"incoming_id": incoming.id, "title": incoming.title})
            return f"传阅给 {len(new_readers)} 人"
        case Action.READ:
            reader = await session.get(IncomingReader, (incoming.id, me.person_id))
            assert reader is not None
            reader.read_at = now
            return "阅毕"
        case Action.PROPOSE:
            assert data.leader_id is not None
            await _check_leader(session, data.leader_id, incoming.unit_id)
            incoming.proposal, incoming.leader_id = data.text, data.leader_id
            uow.notify([data.leader_id], "incoming.instruct_requested",
                       {"incoming_id": incoming.id, "title": incoming.title, "proposal": data.text})
            return data.text
        case Action.INSTRUCT:
            incoming.instruction, incoming.leader_id = data.text, me.person_id
            uow.notify(await people_with_role(session, incoming.unit_id, Role.REGISTRAR), "incoming.instructed",
                       {"incoming_id": incoming.id, "title": incoming.title})
            return data.text
        case Action.ASSIGN:
            assert data.lead_office_id is not None and data.deadline is not None
            helpers = [o for o in dict.fromkeys(data.helper_office_ids) if o != data.lead_office_id]
            await _check_offices_of_unit(session, [data.lead_office_id, *helpers], incoming.unit_id)
            incoming.lead_office_id, incoming.helper_office_ids = data.lead_office_id, helpers
            incoming.deadline = data.deadline.astimezone(UTC)
            incoming.reminded_before_at = incoming.reminded_overdue_at = None
            uow.notify(await office_people(session, [data.lead_office_id, *helpers]), "incoming.assigned",
                       {"incoming_id": incoming.id, "title": incoming.title,
                        "deadline": incoming.deadline.isoformat()})
            return f"主办处室 {data.lead_office_id}，协办 {helpers}，时限 {incoming.deadline.isoformat()}"
        case Action.URGE:
            uow.notify(await holders_of(session, incoming), "incoming.urge",
                       {"incoming_id": incoming.id, "title": incoming.title, "message": data.text, "by": me.name})
            return data.text or "催办"
        case Action.CLOSE:
            incoming.closed_at = now
            return data.text or "办结"
        case Action.REPLY:
            return "答复"
    raise InvalidInput(f"不支持的操作 {transition.action}")


async def _check_leader(session: AsyncSession, person_id: int, unit_id: int) -> None:
    if person_id not in await people_with_role(session, unit_id, Role.SIGNER):
        raise InvalidInput("批示领导须为本单位的签发人（领导）", errors=[FieldError("leader_id", "不是本单位领导")])


async def office_people(session: AsyncSession, office_ids: list[int]) -> list[int]:
    if not office_ids:
        return []
    return list((await session.execute(select(Person.id).where(Person.office_id.in_(office_ids),
                                                               Person.active.is_(True)))).scalars())


async def holders_of(session: AsyncSession, incoming: IncomingDocument) -> list[int]:
    """Who holds the document now (the people a 催办 reaches)."""
    if incoming.state is State.CIRCULATING:
        readers = await readers_of(session, incoming.id)
        return [pid for pid, row in readers.items() if row.read_at is None]
    if incoming.state is State.PROPOSED and incoming.leader_id is not None:
        return [incoming.leader_id]
    if incoming.state is State.IN_PROGRESS and incoming.lead_office_id is not None:
        return await office_people(session, [incoming.lead_office_id, *incoming.helper_office_ids])
    return []


async def _record(uow: UnitOfWork, me: Principal, incoming: IncomingDocument, transition: Transition,
                  note: str) -> None:
    incoming.state = transition.after
    incoming.updated_at = uow.now
    uow.session.add(IncomingAction(incoming_id=incoming.id, action=transition.action.value, actor_id=me.person_id,
                                   from_state=transition.before.value, to_state=transition.after.value,
                                   note=note[:2000], at=uow.now))
    uow.audit(f"docflow.incoming.{transition.action.value}", target_type="incoming_document",
              target_id=incoming.id, unit_id=incoming.unit_id,
              detail={"from": transition.before.value, "to": transition.after.value, "note": note[:500]})
    await uow.session.flush()


async def _send_receipt(uow: UnitOfWork, me: Principal, incoming: IncomingDocument, effect: SendReceipt,
                        text: str) -> None:
    if incoming.source is not Source.EXCHANGE or incoming.message_id is None or incoming.process_id is None:
        return  # a paper document gets no electronic receipt
    assert incoming.sender_unit_code is not None
    original = MessageHeader(
        message_id=uuid.UUID(incoming.message_id), process_id=uuid.UUID(incoming.process_id),
        kind=MessageKind.DOCUMENT, sender_unit=incoming.sender_unit_code,
        recipient_unit=await unit_code_of(uow.session, incoming.unit_id), sent_at=incoming.received_at,
    )
    await send_business_receipt(uow, original=original, receipt_type=ReceiptType(effect.kind.value),
                                handled_by=me.name, reasons=effect.reasons, note=text.strip() or None)


async def register_manual(uow: UnitOfWork, me: Principal, data: ManualRegisterIn) -> IncomingDocument:
    """登记 a paper or e-mail document: it starts registered (its 签收 happened on paper) with a number."""
    me.require(Role.REGISTRAR)
    session, now = uow.session, uow.now
    files: list[tuple[str, str, bytes]] = []
    for index, f in enumerate(data.files):
        try:
            files.append((f.filename, f.media_type, base64.b64decode(f.content_base64, validate=True)))
        except (binascii.Error, ValueError) as exc:
            problem = FieldError(f"files[{index}]", "base64 无效")
            raise InvalidInput("扫描件不是有效的 base64", errors=[problem]) from exc
    year, seq, number = await take_register_number(session, unit_id=me.unit_id, now=now)
    incoming = IncomingDocument(
        unit_id=me.unit_id, source=Source.MANUAL, sender_name=data.sender_name, title=data.title,
        doc_type=data.doc_type, doc_number=data.doc_number, urgency=data.urgency,
        elements={"received_via": data.received_via, "summary": data.summary},
        body=[{"level": 0, "text": data.summary}] if data.summary else [], state=State.REGISTERED,
        register_year=year, register_seq=seq, register_number=number, received_at=now, signed_for_at=now,
        signed_for_by_id=me.person_id, registered_at=now, updated_at=now, return_reasons=[], helper_office_ids=[],
    )
    session.add(incoming)
    await session.flush()
    session.add_all(
        IncomingAttachment(incoming_id=incoming.id, position=n, filename=name, media_type=media, size=len(content),
                           sha256=hashlib.sha256(content).hexdigest(), content=content)
        for n, (name, media, content) in enumerate(files, start=1)
    )
    session.add(IncomingAction(incoming_id=incoming.id, action="register_manual", actor_id=me.person_id,
                               from_state="", to_state=State.REGISTERED.value,
                               note=f"{number}（{data.received_via}）", at=now))
    uow.audit("docflow.incoming.register_manual", target_type="incoming_document", target_id=incoming.id,
              unit_id=me.unit_id, detail={"number": number, "title": data.title, "files": len(files)})
    await session.flush()
    return incoming


async def reply(uow: UnitOfWork, me: Principal, incoming_id: int, data: ReplyIn, settings: Settings) -> Document:
    """答复: a new outgoing draft that cites this incoming document (in its 附注 and the history)."""
    from docflow.outgoing.service import create_draft

    session = uow.session
    incoming = await lock_incoming(session, incoming_id)
    require_unit_member(me, incoming)
    transition = _transition(incoming, Action.REPLY, Facts(roles=me.roles, actor_id=me.person_id, now=uow.now))
    cited = incoming.doc_number or incoming.register_number or incoming.title
    notes = data.content.notes or f"答复{incoming.sender_name}《{incoming.title}》（{cited}）"
    update: dict[str, object] = {"notes": notes[:2000]}
    if not data.content.main_recipients:  # a reply goes to the sender unless the drafter says otherwise
        update["main_recipients"] = [RecipientIn(unit_code=incoming.sender_unit_code, name=incoming.sender_name)]
    content = data.content.model_copy(update=update)
    document = await create_draft(uow, me, DraftCreate(content=content), settings)
    incoming.reply_document_id = document.id
    await _record(uow, me, incoming, transition, f"答复稿 {document.id}")
    return document

