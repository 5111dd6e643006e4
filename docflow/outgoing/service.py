"""Use cases of outgoing documents: drafting, saving versions, and every workflow action.

Each action locks the document row, loads the flow, calls the pure engine (`docflow.rules.workflow.apply`), and
writes back the flow, the task changes, one history row, one audit record and the notification events — all in
the caller's unit of work, so either everything happens or nothing does.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from docflow.numbering.service import take_number, void_numbers_of
from docflow.outgoing import hooks
from docflow.outgoing.access import can_read, require_drafter
from docflow.outgoing.content import check_content, content_json
from docflow.outgoing.context import ActionContext, read_context
from docflow.outgoing.flows import closed_values, flow_json, task_values
from docflow.outgoing.models import Document, DocumentAction, DocumentVersion
from docflow.outgoing.notifications import emit
from docflow.outgoing.schemas import ActionIn, ContentSave, DraftCreate
from docflow.outgoing.settings import definition_for
from docflow.outgoing.templates import apply_template
from docflow.outgoing.writes import INSERT_TASKS, write_action
from docflow.rules import workflow
from docflow.rules.workflow_commands import (
    Action,
    AddCountersigners,
    Approve,
    AssignNumber,
    Cancel,
    Command,
    Dispatch,
    Edit,
    Resubmit,
    ReturnTarget,
    ReturnTo,
    Seal,
    Submit,
    SubstantiveChange,
    Transfer,
    Urge,
    Withdraw,
)
from docflow.rules.workflow_errors import IllegalMove, NotTaskHolder
from docflow.rules.workflow_outcome import ChangeKind, Outcome
from docflow.rules.workflow_state import DocState, Flow, start_flow
from oa.auth.principal import Principal
from oa.database import flush_pending, lock_row
from oa.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from oa.settings import Settings
from oa.uow import UnitOfWork


async def create_draft(uow: UnitOfWork, me: Principal, data: DraftCreate, settings: Settings) -> Document:
    require_drafter(me)
    session, now = uow.session, uow.now
    if data.template_id is not None:  # the template fills the optional elements the drafter left out
        data = data.model_copy(update={"content": await apply_template(session, me, data.template_id, data.content)})
    identifier = str(uuid.uuid4())
    await check_content(session, data.content, identifier, classified_system=settings.classified_system)
    definition = await definition_for(session, me.unit_id)
    document = Document(
        identifier=identifier, unit_id=me.unit_id, drafter_id=me.person_id, state=DocState.DRAFT,
        doc_type=data.content.doc_type, title=data.content.title, urgency=data.content.urgency,
        daizi=data.content.daizi, doc_number=None, version=1, content=content_json(data.content), flow={},
        created_at=now, updated_at=now,
    )
    session.add(document)
    await session.flush()
    flow = start_flow(str(document.id), str(me.person_id), definition, now)
    document.flow = flow_json(flow)
    if flow.tasks:
        await session.execute(INSERT_TASKS, [task_values(document.id, t) for t in flow.tasks])
    session.add(DocumentVersion(document_id=document.id, number=1, author_id=me.person_id, step="拟稿",
                                summary="起草", content=document.content, created_at=now))
    session.add(DocumentAction(document_id=document.id, action="create", actor_id=me.person_id, from_state="",
                               to_state=DocState.DRAFT.value, note=data.content.title, at=now))
    uow.audit("docflow.document.create", target_type="document", target_id=document.id,
              detail={"title": document.title, "doc_type": document.doc_type})
    await session.flush()
    return document


async def lock_document(session: AsyncSession, document_id: int) -> Document:
    document = await lock_row(session, Document, document_id)
    if document is None:
        raise NotFound(f"公文 {document_id} 不存在")
    return document


async def save_content(uow: UnitOfWork, me: Principal, document_id: int, data: ContentSave,
                       settings: Settings, *, substantive: bool = False) -> Document:
    session = uow.session
    document = await lock_document(session, document_id)
    await _require_read(session, me, document)
    if document.version != data.base_version:
        raise Conflict(
            f"文件已被他人修改（当前版本 {document.version}，您编辑的是版本 {data.base_version}），请刷新后再改",
            errors=[FieldError("base_version", "版本已过期")],
        )
    await check_content(session, data.content, document.identifier, classified_system=settings.classified_system)
    context = await read_context(session, document, (), "holders", uow.now)
    flow = context.flow
    command: Command = Edit(summary=data.summary or "修改", substantive=substantive)
    outcome = _apply(me, context, command, uow.now)
    step = outcome.record.from_state
    document.content = content_json(data.content)
    document.title, document.doc_type = data.content.title, data.content.doc_type
    document.urgency, document.daizi = data.content.urgency, data.content.daizi
    await _persist(uow, me, document, outcome)
    session.add(DocumentVersion(document_id=document.id, number=document.version, author_id=me.person_id,
                                step=str(flow.step or step), summary=data.summary, content=document.content,
                                created_at=uow.now))
    return document


async def act(uow: UnitOfWork, me: Principal, document_id: int, data: ActionIn, settings: Settings) -> Document:
    session = uow.session
    document = await lock_document(session, document_id)
    await _require_read(session, me, document)
    named = [*data.next_holders, *data.people, *([data.to] if data.to else [])]
    context = await read_context(session, document, named, "holders", uow.now)
    command = await _command(uow, document, context.flow, data)
    outcome = _apply(me, context, command, uow.now)
    await _persist(uow, me, document, outcome)
    if outcome.record.action is Action.CANCEL and document.doc_number:
        await void_numbers_of(session, document.id, data.reason or "撤销", uow.now)
    if outcome.record.action is Action.SEAL:
        await hooks.after_seal(uow, document, settings)
    if outcome.record.action is Action.DISPATCH:
        await hooks.after_dispatch(uow, document)
    return document


async def _command(uow: UnitOfWork, document: Document, flow: Flow, data: ActionIn) -> Command:
    holders = tuple(str(p) for p in data.next_holders)
    skip = frozenset(data.skip)
    match data.action:
        case Action.SUBMIT:
            return Submit(next_holders=holders, skip=skip, opinion=data.opinion)
        case Action.APPROVE:
            return Approve(opinion=data.opinion, next_holders=holders, skip=skip)
        case Action.RETURN:
            return ReturnTo(target=data.target or ReturnTarget.PREVIOUS, reason=data.reason, step=data.step)
        case Action.RESUBMIT:
            return Resubmit(opinion=data.opinion)
        case Action.WITHDRAW:
            return Withdraw(reason=data.reason)
        case Action.TRANSFER:
            if data.to is None:
                raise InvalidInput("请选择转交给谁", errors=[FieldError("to", "必填")])
            return Transfer(to=str(data.to), reason=data.reason)
        case Action.ADD_COUNTERSIGNER:
            return AddCountersigners(people=tuple(str(p) for p in data.people))
        case Action.URGE:
            return Urge(message=data.message)
        case Action.SUBSTANTIVE_CHANGE:
            return SubstantiveChange(reason=data.reason)
        case Action.ASSIGN_NUMBER:
            # Idempotent: a document keeps the number it got, also when it re-enters 登记.
            number = flow.doc_number
            if number is None and flow.state is DocState.REGISTERING:
                number = await take_number(uow.session, unit_id=document.unit_id, daizi=document.daizi,
                                           document_id=document.id, now=uow.now)
            return AssignNumber(doc_number=number or "")
        case Action.SEAL:
            return Seal(seal_id=f"unit-{document.unit_id}", next_holders=holders)
        case Action.DISPATCH:
            return Dispatch(opinion=data.opinion)
        case Action.CANCEL:
            return Cancel(reason=data.reason)
        case Action.EDIT:
            raise InvalidInput("修改正文请使用保存内容接口（PUT /api/documents/{id}/content）")
    raise InvalidInput(f"不支持的操作 {data.action}")


def _apply(me: Principal, context: ActionContext, command: Command, now: datetime) -> Outcome:
    try:
        return workflow.apply(context.flow, str(me.person_id), command, now, roster=context.roster,
                              delegations=context.delegations)
    except NotTaskHolder as exc:
        raise Forbidden(str(exc)) from exc
    except IllegalMove as exc:
        raise Conflict(str(exc)) from exc


async def _persist(uow: UnitOfWork, me: Principal, document: Document, outcome: Outcome) -> None:
    flow, record = outcome.flow, outcome.record
    created = [task_values(document.id, c.task) for c in outcome.task_changes if c.kind is ChangeKind.CREATED]
    closed = [{"task_no": c.task.id, **closed_values(c.task)} for c in outcome.task_changes
              if c.kind is not ChangeKind.CREATED]
    dispatched = document.dispatched_at
    if flow.state is DocState.DISPATCHED and dispatched is None:
        dispatched = uow.now
    flow_values = {
        "state": flow.state, "flow": flow_json(flow), "doc_number": flow.doc_number, "sealed_at": flow.sealed_at,
        "dispatched_at": dispatched, "version": document.version + 1, "updated_at": uow.now,
    }
    acting_for = int(record.acting_for) if record.acting_for else None
    await flush_pending(uow.session)  # the document's other changes (an edit's content) go first, as the ORM would
    await write_action(uow.session, document.id, closed, created, flow_values, {
        "action": record.action.value, "actor_id": me.person_id, "acting_for_id": acting_for,
        "from_state": record.from_state.value, "to_state": record.to_state.value, "note": record.note,
    })
    # The loaded object takes the written values as committed state, so the ORM does not write them a second time.
    for column, value in flow_values.items():
        set_committed_value(document, column, value)
    uow.audit(f"docflow.document.{record.action.value}", target_type="document", target_id=document.id,
              unit_id=document.unit_id, acting_for_id=acting_for,
              detail={"from": record.from_state.value, "to": record.to_state.value, "note": record.note[:500]})
    emit(uow, outcome.events, title=document.title)


async def _require_read(session: AsyncSession, me: Principal, document: Document) -> None:
    if not await can_read(session, me, document):
        raise Forbidden("无权查看此公文")

