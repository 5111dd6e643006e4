"""Read side: the personal lists (待办, 已办, 我的草稿, 我发起的) with counts, a document with its tasks, its
history and its versions. Each list is one query with a join, never a query per row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import Delegation, Document, DocumentAction, DocumentTask, DocumentVersion
from docflow.outgoing.schemas import ListItem, ListQuery
from docflow.rules.workflow_state import DocState, TaskStatus
from oa.auth.principal import Principal
from oa.org.models import Person


async def _holders(session: AsyncSession, me: Principal, now: datetime) -> list[int]:
    """Whose open tasks are mine to do: my own, plus those of people whose work I handle (委托 in force).

    Read first, as a short list: `holder_id = me OR holder_id IN (subquery)` cannot use the (holder, status)
    index, so PostgreSQL scanned every open task of the county for each 待办 (milliseconds per 10,000 open tasks).
    """
    delegators = (await session.execute(select(Delegation.person_id).where(
        Delegation.delegate_id == me.person_id, Delegation.revoked_at.is_(None), Delegation.starts_at <= now,
        Delegation.ends_at > now,
    ))).scalars().all()
    return [me.person_id, *sorted(set(delegators) - {me.person_id})]


def _filters(query: ListQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.q:
        escaped = query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Document.title.like(f"%{escaped}%", escape="\\"))
    if query.doc_type:
        conditions.append(Document.doc_type == query.doc_type)
    return conditions


async def _page(session: AsyncSession, stmt: Select[Any], query: ListQuery) -> tuple[list[Any], int]:
    offset = (query.page - 1) * query.page_size
    rows = list((await session.execute(stmt.offset(offset).limit(query.page_size))).all())
    if len(rows) < query.page_size and (rows or offset == 0):
        # A short page is the last one, so it tells the total: most people's 待办 fits on one page, and the
        # count query is saved on every such call.
        return rows, offset + len(rows)
    total = (await session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))).scalar_one()
    return rows, total


def _todo_stmt(holders: list[int]) -> Select[Any]:
    return (
        select(Document.id, Document.title, Document.doc_type, Document.state, Document.doc_number, Document.urgency,
               Document.updated_at, DocumentTask.task_no, DocumentTask.step, DocumentTask.due_at)
        .join(Document, Document.id == DocumentTask.document_id)
        .where(DocumentTask.status == TaskStatus.OPEN, DocumentTask.holder_id.in_(holders))
    )


async def todo(session: AsyncSession, me: Principal, query: ListQuery, now: datetime) -> tuple[list[ListItem], int]:
    stmt = _todo_stmt(await _holders(session, me, now)).where(*_filters(query))
    if query.overdue:
        stmt = stmt.where(DocumentTask.due_at < now)
    stmt = stmt.order_by(DocumentTask.due_at.is_(None), DocumentTask.due_at, DocumentTask.created_at.desc())
    rows, total = await _page(session, stmt, query)
    return [ListItem(id=r.id, title=r.title, doc_type=r.doc_type, state=r.state, doc_number=r.doc_number,
                     urgency=r.urgency, updated_at=r.updated_at, task_no=r.task_no, step=r.step, due_at=r.due_at,
                     overdue=bool(r.due_at and r.due_at < now)) for r in rows], total


def _doc_items(rows: list[Any]) -> list[ListItem]:
    return [ListItem(id=r.id, title=r.title, doc_type=r.doc_type, state=r.state, doc_number=r.doc_number,
                     urgency=r.urgency, updated_at=r.updated_at) for r in rows]


_DOC_COLUMNS = (Document.id, Document.title, Document.doc_type, Document.state, Document.doc_number,
                Document.urgency, Document.updated_at)


async def done(session: AsyncSession, me: Principal, query: ListQuery) -> tuple[list[ListItem], int]:
    mine = select(DocumentTask.document_id).where(
        DocumentTask.status == TaskStatus.DONE,
        or_(DocumentTask.acted_by_id == me.person_id, DocumentTask.holder_id == me.person_id),
    )
    stmt = select(*_DOC_COLUMNS).where(Document.id.in_(mine), *_filters(query)).order_by(Document.updated_at.desc())
    rows, total = await _page(session, stmt, query)
    return _doc_items(rows), total


async def drafts(session: AsyncSession, me: Principal, query: ListQuery) -> tuple[list[ListItem], int]:
    stmt = select(*_DOC_COLUMNS).where(Document.drafter_id == me.person_id, Document.state == DocState.DRAFT,
                                       *_filters(query)).order_by(Document.updated_at.desc())
    rows, total = await _page(session, stmt, query)
    return _doc_items(rows), total


async def sent(session: AsyncSession, me: Principal, query: ListQuery) -> tuple[list[ListItem], int]:
    stmt = select(*_DOC_COLUMNS).where(Document.drafter_id == me.person_id, Document.state != DocState.DRAFT,
                                       *_filters(query)).order_by(Document.updated_at.desc())
    rows, total = await _page(session, stmt, query)
    return _doc_items(rows), total


async def counts(session: AsyncSession, me: Principal, now: datetime) -> dict[str, int]:
    todo_sub = _todo_stmt(await _holders(session, me, now)).subquery()
    todo_total = (await session.execute(select(func.count()).select_from(todo_sub))).scalar_one()
    overdue = (await session.execute(
        select(func.count()).select_from(todo_sub).where(and_(todo_sub.c.due_at.is_not(None),
                                                              todo_sub.c.due_at < now)))).scalar_one()
    draft_total = (await session.execute(select(func.count()).select_from(Document).where(
        Document.drafter_id == me.person_id, Document.state == DocState.DRAFT))).scalar_one()
    return {"todo": todo_total, "overdue": overdue, "drafts": draft_total}


async def tasks_of(session: AsyncSession, document_id: int) -> list[tuple[DocumentTask, str]]:
    rows = (await session.execute(
        select(DocumentTask, Person.name).join(Person, Person.id == DocumentTask.holder_id)
        .where(DocumentTask.document_id == document_id).order_by(DocumentTask.task_no))).all()
    return [(t, n) for t, n in rows]


async def history(session: AsyncSession, document_id: int) -> list[tuple[DocumentAction, str]]:
    rows = (await session.execute(
        select(DocumentAction, Person.name).join(Person, Person.id == DocumentAction.actor_id)
        .where(DocumentAction.document_id == document_id).order_by(DocumentAction.id))).all()
    return [(a, n) for a, n in rows]


async def versions(session: AsyncSession, document_id: int) -> list[tuple[DocumentVersion, str]]:
    rows = (await session.execute(
        select(DocumentVersion, Person.name).join(Person, Person.id == DocumentVersion.author_id)
        .where(DocumentVersion.document_id == document_id).order_by(DocumentVersion.number))).all()
    return [(v, n) for v, n in rows]
