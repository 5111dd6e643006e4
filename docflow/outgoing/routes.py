"""HTTP routes of outgoing documents: thin wrappers around the use cases, queries and views."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from docflow.badges import BADGES, count_docflow_badges
from docflow.outgoing import queries, service
from docflow.outgoing.access import can_read, require_business_user
from docflow.outgoing.models import Document
from docflow.outgoing.schemas import (
    ActionIn,
    ContentSave,
    Counts,
    DocumentOut,
    DraftCreate,
    HistoryEntry,
    HistoryOut,
    ListPage,
    ListQuery,
    VersionDiff,
    VersionList,
    VersionOut,
    VersionPair,
)
from docflow.outgoing.views import document_view, version_diff
from oa.database import utcnow
from oa.errors import Forbidden, NotFound
from oa.web.api import ApiRouter, Call

router = ApiRouter()
TAGS = ("发文",)


@router.route("POST", "/api/documents", summary="起草公文", tags=TAGS, body=DraftCreate, response=DocumentOut,
              status=201)
async def create_document(call: Call[DraftCreate, Any]) -> DocumentOut:
    async with call.uow() as uow:
        document = await service.create_draft(uow, call.me, call.body, call.services.settings)
        view = await document_view(uow.session, call.me, document)
        await uow.commit()
    return view


@router.route("GET", "/api/documents/{document_id:int}", summary="公文详情（含流程、办理人、可执行操作）", tags=TAGS,
              response=DocumentOut, extra_responses={404: "公文不存在"})
async def get_document(call: Call[Any, Any]) -> DocumentOut:
    async with call.services.sessions() as session:
        document = await _readable(call, session)
        return await document_view(session, call.me, document)


async def _readable(call: Call[Any, Any], session: AsyncSession) -> Document:
    document = await session.get(Document, call.path_int("document_id"))
    if document is None:
        raise NotFound(f"公文 {call.path_int('document_id')} 不存在")
    if not await can_read(session, call.me, document):
        raise Forbidden("无权查看此公文")
    return document


@router.route("PUT", "/api/documents/{document_id:int}/content", summary="保存正文与要素（生成新版本）",
              tags=TAGS, body=ContentSave, response=DocumentOut,
              extra_responses={404: "公文不存在", 409: "版本已过期或当前不能修改"})
async def save_content(call: Call[ContentSave, Any]) -> DocumentOut:
    async with call.uow() as uow:
        document = await service.save_content(uow, call.me, call.path_int("document_id"), call.body,
                                              call.services.settings)
        await uow.commit()
        view = await document_view(uow.session, call.me, document)
    return view


@router.route("POST", "/api/documents/{document_id:int}/actions",
              summary="办理：送审、同意、退回、撤回、转交、加签、催办、编号、用印、核发…", tags=TAGS, body=ActionIn,
              response=DocumentOut, extra_responses={404: "公文不存在", 409: "当前不能进行此操作"})
async def act(call: Call[ActionIn, Any]) -> DocumentOut:
    async with call.uow() as uow:
        document = await service.act(uow, call.me, call.path_int("document_id"), call.body, call.services.settings)
        await uow.commit()
        # The view is read after the commit: the document's row lock is released first, so the next holder of a
        # busy document (fifty countersigners at once) does not wait while this answer is being built.
        view = await document_view(uow.session, call.me, document)
    return view


@router.route("GET", "/api/documents/{document_id:int}/history", summary="办理记录", tags=TAGS, response=HistoryOut)
async def history(call: Call[Any, Any]) -> HistoryOut:
    async with call.services.sessions() as session:
        document = await _readable(call, session)
        rows = await queries.history(session, document.id)
    return HistoryOut(items=[HistoryEntry(action=a.action, actor_id=a.actor_id, actor_name=name,
                                          acting_for_id=a.acting_for_id, from_state=a.from_state,
                                          to_state=a.to_state, note=a.note, at=a.at) for a, name in rows])


@router.route("GET", "/api/documents/{document_id:int}/versions", summary="版本列表", tags=TAGS, response=VersionList)
async def versions(call: Call[Any, Any]) -> VersionList:
    async with call.services.sessions() as session:
        document = await _readable(call, session)
        rows = await queries.versions(session, document.id)
    return VersionList(items=[VersionOut(number=v.number, author_id=v.author_id, author_name=name, step=v.step,
                                         summary=v.summary, created_at=v.created_at) for v, name in rows])


@router.route("GET", "/api/documents/{document_id:int}/versions/diff", summary="比较两个版本（痕迹）", tags=TAGS,
              query=VersionPair, response=VersionDiff, extra_responses={404: "版本不存在"})
async def diff(call: Call[Any, VersionPair]) -> VersionDiff:
    async with call.services.sessions() as session:
        document = await _readable(call, session)
        rows = {v.number: (v, name) for v, name in await queries.versions(session, document.id)}
    for number in (call.query.a, call.query.b):
        if number not in rows:
            raise NotFound(f"版本 {number} 不存在（共 {len(rows)} 个版本）")
    (a, a_name), (b, b_name) = rows[call.query.a], rows[call.query.b]
    return version_diff(a, a_name, b, b_name)


def _list_route(path: str, summary: str, fetch: Any) -> None:
    async def handler(call: Call[Any, ListQuery]) -> ListPage:
        require_business_user(call.me)
        async with call.services.sessions() as session:
            items, total = await fetch(session, call.me, call.query)
        return ListPage(items=items, total=total)

    handler.__name__ = "list_" + path.rsplit("/", 1)[-1]
    router.route("GET", path, summary=summary, tags=("工作台",), query=ListQuery, response=ListPage)(handler)


_list_route("/api/worklist/todo", "待办", lambda s, me, q: queries.todo(s, me, q, utcnow()))
_list_route("/api/worklist/done", "已办", queries.done)
_list_route("/api/worklist/drafts", "我的草稿", queries.drafts)
_list_route("/api/worklist/sent", "我发起的", queries.sent)


@router.route("GET", "/api/workbench/counts", summary="工作台角标计数", tags=("工作台",), response=Counts)
async def workbench_counts(call: Call[Any, Any]) -> Counts:
    require_business_user(call.me)
    me = call.me.person_id
    async with call.services.sessions() as session:
        drafts = await queries.draft_count(session, call.me)
        badges = (await count_docflow_badges(session, [me])).get(me, dict.fromkeys(BADGES, 0))
    return Counts(drafts=drafts, **badges)
