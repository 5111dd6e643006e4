"""HTTP routes of incoming documents (收文): thin wrappers around the use cases and queries."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from starlette.responses import Response

from docflow.incoming import queries, service
from docflow.incoming.models import IncomingAttachment, IncomingDocument
from docflow.incoming.schemas import (
    IncomingActionIn,
    IncomingListQuery,
    IncomingOut,
    IncomingPage,
    ManualRegisterIn,
    ReplyIn,
    ReplyOut,
)
from oa.errors import NotFound
from oa.web.api import ApiRouter, Call

router = ApiRouter()
TAGS = ("收文",)


@router.route("GET", "/api/incoming", summary="收文列表：未签收、待办、待阅、全部", tags=TAGS,
              query=IncomingListQuery, response=IncomingPage)
async def list_incoming(call: Call[Any, IncomingListQuery]) -> IncomingPage:
    async with call.services.sessions() as session:
        return await queries.list_incoming(session, call.me, call.query)


@router.route("GET", "/api/incoming/{incoming_id:int}", summary="收文详情（传阅情况、附件、办理记录、可执行操作）",
              tags=TAGS, response=IncomingOut, extra_responses={404: "收文不存在"})
async def get_incoming(call: Call[Any, Any]) -> IncomingOut:
    async with call.services.sessions() as session:
        row = await _readable(call, session)
        return await queries.detail(session, call.me, row)


async def _readable(call: Call[Any, Any], session: Any) -> IncomingDocument:
    row: IncomingDocument | None = await session.get(IncomingDocument, call.path_int("incoming_id"))
    if row is None:
        raise NotFound(f"收文 {call.path_int('incoming_id')} 不存在")
    service.require_unit_member(call.me, row)
    return row


@router.route("POST", "/api/incoming/{incoming_id:int}/actions",
              summary="办理：签收、登记、初审、退文、传阅、阅毕、拟办、批示、交办、催办、办结", tags=TAGS,
              body=IncomingActionIn, response=IncomingOut,
              extra_responses={403: "无权办理", 404: "收文不存在", 409: "当前状态不能进行此操作"})
async def act(call: Call[IncomingActionIn, Any]) -> IncomingOut:
    async with call.uow() as uow:
        row = await service.act(uow, call.me, call.path_int("incoming_id"), call.body)
        await uow.commit()
    async with call.services.sessions() as session:
        fresh = await session.get(IncomingDocument, row.id)
        assert fresh is not None
        return await queries.detail(session, call.me, fresh)


@router.route("POST", "/api/incoming/{incoming_id:int}/reply", summary="答复：起草引用此来文的发文稿", tags=TAGS,
              body=ReplyIn, response=ReplyOut, status=201)
async def reply(call: Call[ReplyIn, Any]) -> ReplyOut:
    async with call.uow() as uow:
        document = await service.reply(uow, call.me, call.path_int("incoming_id"), call.body,
                                       call.services.settings)
        await uow.commit()
    return ReplyOut(incoming_id=call.path_int("incoming_id"), document_id=document.id)


@router.route("POST", "/api/incoming/manual", summary="手工登记纸质或电子邮件来文（含扫描件）", tags=TAGS,
              body=ManualRegisterIn, response=IncomingOut, status=201)
async def register_manual(call: Call[ManualRegisterIn, Any]) -> IncomingOut:
    async with call.uow() as uow:
        row = await service.register_manual(uow, call.me, call.body)
        await uow.commit()
    async with call.services.sessions() as session:
        fresh = await session.get(IncomingDocument, row.id)
        assert fresh is not None
        return await queries.detail(session, call.me, fresh)


@router.route("GET", "/api/incoming/{incoming_id:int}/attachments/{position:int}", summary="下载收文附件",
              tags=TAGS)
async def download(call: Call[Any, Any]) -> Response:
    async with call.services.sessions() as session:
        row = await _readable(call, session)
        attachment = (
            await session.execute(select(IncomingAttachment).where(
                IncomingAttachment.incoming_id == row.id,
                IncomingAttachment.position == call.path_int("position")))
        ).scalar_one_or_none()
    if attachment is None:
        raise NotFound("附件不存在")
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    return Response(attachment.content, media_type=attachment.media_type,
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})
