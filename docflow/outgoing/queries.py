"""Read side: the personal lists (待办, 已办, 我的草稿, 我发起的) with counts, a document with its tasks, its
history and its versions. Each list is one query with a join, never a query per row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import Delegation, Document, DocumentAction, DocumentTask, DocumentVersion
from docflow.outgoing.schemas import ListItem, ListQuery
from docflow.rules.workflow_state import DocState, TaskStatus
from oa.auth.principal import Principal
from oa.database import driver, is_postgresql, table_of
from oa.org.models import Person

_TASKS = table_of(DocumentTask)
_DOCUMENTS = table_of(Document)
_DELEGATIONS = table_of(Delegation)
_DELEGATORS = select(_DELEGATIONS.c.person_id).where(
    _DELEGATIONS.c.delegate_id == bindparam("me"), _DELEGATIONS.c.revoked_at.is_(None),
    _DELEGATIONS.c.starts_at <= bindparam("now"), _DELEGATIONS.c.ends_at > bindparam("now"),
)


async def _holders(session: AsyncSession, me: Principal, now: datetime) -> list[int]:
    """Whose open tasks are mine to do: my own, plus those of people whose work I handle (委托 in force).

    Read first, as a short list: `holder_id = me OR holder_id IN (subquery)` cannot use the (holder, status)
    index, so PostgreSQL scanned every open task of the county for each 待办 (milliseconds per 10,000 open tasks).
    """
    delegators = (await session.execute(_DELEGATORS, {"me": me.person_id, "now": now})).scalars().all()
    return [me.person_id, *sorted(set(delegators) - {me.person_id})]


def _filters(query: ListQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.q:
        escaped = query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Document.title.like(f"%{escaped}%", escape="\\"))
    if query.doc_type:
        conditions.append(Document.doc_type == query.doc_type)
    return conditions


def _paged(stmt: Select[Any]) -> Select[Any]:
    return stmt.limit(bindparam("page_limit")).offset(bindparam("page_offset"))


def _counted(stmt: Select[Any]) -> Select[Any]:
    return select(func.count()).select_from(stmt.order_by(None).subquery())


async def _page(session: AsyncSession, page: Select[Any], count: Select[Any], params: dict[str, Any],
                query: ListQuery) -> tuple[list[Any], int]:
    """One page of `page` (a statement ending in `_paged`), and the total from `count` when the page is full."""
    offset = (query.page - 1) * query.page_size
    rows = list((await session.execute(page, {**params, "page_limit": query.page_size,
                                              "page_offset": offset})).all())
    if len(rows) < query.page_size and (rows or offset == 0):
        # A short page is the last one, so it tells the total: most people's 待办 fits on one page, and the
        # count query is saved on every such call.
        return rows, offset + len(rows)
    return rows, (await session.execute(count, params)).scalar_one()


# The 待办 as Core statements on the tables, the plain list built once (it is read on every page load and every
# action); a search or a filter builds its own.
_OPEN_FOR_HOLDERS = (_TASKS.c.status == TaskStatus.OPEN, _TASKS.c.holder_id.in_(bindparam("holders", expanding=True)))
_TODO = (
    select(_DOCUMENTS.c.id, _DOCUMENTS.c.title, _DOCUMENTS.c.doc_type, _DOCUMENTS.c.state, _DOCUMENTS.c.doc_number,
           _DOCUMENTS.c.urgency, _DOCUMENTS.c.updated_at, _TASKS.c.task_no, _TASKS.c.step, _TASKS.c.due_at)
    .select_from(_TASKS.join(_DOCUMENTS, _DOCUMENTS.c.id == _TASKS.c.document_id))
    .where(*_OPEN_FOR_HOLDERS)
)
# Deadline first, no deadline last, newest first: the order of ix_document_tasks_todo on PostgreSQL.
_TODO_ORDER = (_TASKS.c.due_at.asc().nulls_last(), _TASKS.c.created_at.desc())
_TODO_PAGE = _paged(_TODO.order_by(*_TODO_ORDER))
# Counted on the tasks alone: every task has its document, and joining them to count cost a read of each document
# (milliseconds for a long 待办, on every page). The count rides on the page as a scalar subquery, which both
# databases evaluate once: one statement for a 待办 page, not two (it is read on every page load and every action).
_TODO_COUNT = _counted(select(_TASKS.c.id).where(*_OPEN_FOR_HOLDERS))
_TODO_PAGE = _paged(_TODO.add_columns(_TODO_COUNT.scalar_subquery().label("total")).order_by(*_TODO_ORDER))


# On PostgreSQL the plain 待办 (no search, no filter: every page load and every action reads it) is one statement sent
# to asyncpg directly (`oa.database.driver`): whoever's work I handle (委托 in force), the page in the order of
# _TODO_PAGE, and the total, which comes back on a row of its own when the page is empty. Each holder's first tasks
# are read from ix_document_tasks_todo in its order and merged (`holder_id = ANY(…)` would read and sort every open
# task of the holders), only the page's documents are read, and my own tasks are counted from the index alone.
_TODO_PAGE_PG = """
WITH delegators AS (
  SELECT DISTINCT person_id AS id FROM delegations
  WHERE delegate_id = $1 AND person_id <> $1 AND revoked_at IS NULL AND starts_at <= $2 AND ends_at > $2
),
page AS (
  SELECT t.document_id, t.task_no, t.step, t.due_at, t.created_at
  FROM (SELECT $1::int AS id UNION ALL SELECT id FROM delegators) AS h CROSS JOIN LATERAL (
    SELECT document_id, task_no, step, due_at, created_at FROM document_tasks
    WHERE status = 'open' AND holder_id = h.id
    ORDER BY due_at NULLS LAST, created_at DESC LIMIT $3::int + $4::int
  ) AS t
  ORDER BY t.due_at NULLS LAST, t.created_at DESC LIMIT $3 OFFSET $4
)
SELECT d.id, d.title, d.doc_type, d.state, d.doc_number, d.urgency, d.updated_at, p.task_no, p.step, p.due_at,
       total.n AS total
FROM (SELECT (SELECT count(*) FROM document_tasks WHERE status = 'open' AND holder_id = $1)
             + (SELECT count(*) FROM document_tasks WHERE status = 'open' AND holder_id IN (SELECT id FROM delegators))
             AS n) AS total
LEFT JOIN (page AS p JOIN documents AS d ON d.id = p.document_id) ON true
ORDER BY p.due_at NULLS LAST, p.created_at DESC
"""


async def todo(session: AsyncSession, me: Principal, query: ListQuery, now: datetime) -> tuple[list[ListItem], int]:
    conditions = _filters(query)
    if is_postgresql(session) and not conditions and not query.overdue:
        return await _plain_todo_pg(session, me, query, now)
    params: dict[str, Any] = {"holders": await _holders(session, me, now)}
    page, count = _TODO_PAGE, _TODO_COUNT
    if query.overdue:
        conditions.append(_TASKS.c.due_at < bindparam("now"))
        params["now"] = now
    if conditions:
        stmt = _TODO.where(*conditions)
        count = _counted(stmt)
        page = _paged(stmt.add_columns(count.scalar_subquery().label("total")).order_by(*_TODO_ORDER))
    offset = (query.page - 1) * query.page_size
    rows = (await session.execute(page, {**params, "page_limit": query.page_size, "page_offset": offset})).all()
    if rows:
        return _todo_items((row._mapping for row in rows), now), rows[0].total
    # Past the last page (or nothing to do): the total still tells how many pages there are.
    return [], 0 if offset == 0 else (await session.execute(count, params)).scalar_one()


async def _plain_todo_pg(session: AsyncSession, me: Principal, query: ListQuery,
                         now: datetime) -> tuple[list[ListItem], int]:
    async with driver(session) as conn:
        rows = await conn.fetch(_TODO_PAGE_PG, me.person_id, now, query.page_size, (query.page - 1) * query.page_size)
    if rows[0]["id"] is None:  # past the last page, or nothing to do: the row of the total alone
        return [], rows[0]["total"]
    return _todo_items(rows, now), rows[0]["total"]


def _todo_items(rows: Iterable[Mapping[Any, Any]], now: datetime) -> list[ListItem]:
    # From each row's mapping at once: the row's columns are ListItem's fields, by name (ListItem ignores `total`).
    return [ListItem(**row, overdue=bool(row["due_at"] and row["due_at"] < now)) for row in rows]


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
    stmt = select(*_DOC_COLUMNS).where(Document.id.in_(mine), *_filters(query))
    rows, total = await _page(session, _paged(stmt.order_by(Document.updated_at.desc())), _counted(stmt), {}, query)
    return _doc_items(rows), total


async def drafts(session: AsyncSession, me: Principal, query: ListQuery) -> tuple[list[ListItem], int]:
    stmt = select(*_DOC_COLUMNS).where(Document.drafter_id == me.person_id, Document.state == DocState.DRAFT,
                                       *_filters(query))
    rows, total = await _page(session, _paged(stmt.order_by(Document.updated_at.desc())), _counted(stmt), {}, query)
    return _doc_items(rows), total


async def sent(session: AsyncSession, me: Principal, query: ListQuery) -> tuple[list[ListItem], int]:
    stmt = select(*_DOC_COLUMNS).where(Document.drafter_id == me.person_id, Document.state != DocState.DRAFT,
                                       *_filters(query))
    rows, total = await _page(session, _paged(stmt.order_by(Document.updated_at.desc())), _counted(stmt), {}, query)
    return _doc_items(rows), total


async def draft_count(session: AsyncSession, me: Principal) -> int:
    """My drafts, for the workbench; the 待办 and 超期 badges are counted in `docflow.badges`."""
    return (await session.execute(select(func.count()).select_from(Document).where(
        Document.drafter_id == me.person_id, Document.state == DocState.DRAFT))).scalar_one()


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
