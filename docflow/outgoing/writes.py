"""Writing a workflow action's rows: the tasks it closed and created, the document's flow columns and the history
row. On PostgreSQL one statement sent to asyncpg directly (`oa.database.driver`); on SQLite (one office, one writer)
the same rows as Core statements, built once.

Every approval in the county runs this, so on PostgreSQL it is written for the least work: one round trip instead
of four, and none of SQLAlchemy's per-statement execution (bench/README.md has the figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import Document, DocumentAction, DocumentTask
from oa.database import driver, driver_value, is_postgresql, table_of

_DOCUMENTS = table_of(Document)
_TASKS = table_of(DocumentTask)
INSERT_TASKS = insert(_TASKS)
_INSERT_ACTION = insert(table_of(DocumentAction))
_CLOSING_COLUMNS = ("status", "outcome", "opinion", "closed_at", "acted_by_id")
_CLOSE_TASK = update(_TASKS).where(
    _TASKS.c.document_id == bindparam("b_document_id"), _TASKS.c.task_no == bindparam("b_task_no"),
).values({column: bindparam(f"b_{column}", type_=_TASKS.c[column].type) for column in _CLOSING_COLUMNS})
# What an action changes on the document row.
FLOW_COLUMNS = ("state", "flow", "doc_number", "sealed_at", "dispatched_at", "version", "updated_at")
_ADVANCE_DOCUMENT = update(_DOCUMENTS).where(_DOCUMENTS.c.id == bindparam("b_id")).values(
    {column: bindparam(f"b_{column}", type_=_DOCUMENTS.c[column].type) for column in FLOW_COLUMNS})

# $1 the document; $2–$7 the closed tasks' columns; $8–$19 the new tasks' columns; $20–$26 the flow columns;
# $27–$32 the history row. It answers how many tasks it closed: each must have been there.
_WRITE_ACTION_PG = """
WITH closed AS (
    UPDATE document_tasks AS t
    SET status = c.status, outcome = c.outcome, opinion = c.opinion, closed_at = c.closed_at,
        acted_by_id = c.acted_by_id
    FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int[])
         AS c(task_no, status, outcome, opinion, closed_at, acted_by_id)
    WHERE t.document_id = $1 AND t.task_no = c.task_no
    RETURNING t.task_no
), created AS (
    INSERT INTO document_tasks (document_id, task_no, step, holder_id, round, created_at, assigned_by_id, due_at,
                                status, outcome, opinion, acted_by_id, closed_at)
    SELECT $1, n.task_no, n.step, n.holder_id, n.round, n.created_at, n.assigned_by_id, n.due_at, n.status,
           n.outcome, n.opinion, n.acted_by_id, n.closed_at
    FROM unnest($8::int[], $9::text[], $10::int[], $11::int[], $12::timestamptz[], $13::int[], $14::timestamptz[],
                $15::text[], $16::text[], $17::text[], $18::int[], $19::timestamptz[])
         AS n(task_no, step, holder_id, round, created_at, assigned_by_id, due_at, status, outcome, opinion,
              acted_by_id, closed_at)
), advanced AS (
    UPDATE documents SET state = $20, flow = $21::json, doc_number = $22, sealed_at = $23, dispatched_at = $24,
                         version = $25, updated_at = $26
    WHERE id = $1
)
INSERT INTO document_actions (document_id, action, actor_id, acting_for_id, from_state, to_state, note, at)
VALUES ($1, $27, $28, $29, $30, $31, $32, $26)
RETURNING (SELECT count(*) FROM closed)
"""
_NEW_TASK_COLUMNS = ("task_no", "step", "holder_id", "round", "created_at", "assigned_by_id", "due_at", "status",
                     "outcome", "opinion", "acted_by_id", "closed_at")
_HISTORY_COLUMNS = ("action", "actor_id", "acting_for_id", "from_state", "to_state", "note")


async def write_action(session: AsyncSession, document_id: int, closed: Sequence[dict[str, Any]],
                       created: Sequence[dict[str, Any]], flow_values: dict[str, Any],
                       history: dict[str, Any]) -> None:
    """`closed`: task_no and the closing columns of each closed task; `created`: the whole rows of the new tasks
    (`flows.task_values`); `flow_values`: the `FLOW_COLUMNS`; `history`: the history row but its document and time
    (the time is `flow_values["updated_at"]`)."""
    if is_postgresql(session):
        await _write_action_pg(session, document_id, closed, created, flow_values, history)
        return
    closed_count = 0
    for task in closed:
        values = {f"b_{column}": task[column] for column in _CLOSING_COLUMNS}
        result = await session.execute(_CLOSE_TASK, {"b_document_id": document_id, "b_task_no": task["task_no"],
                                                     **values})
        closed_count += result.rowcount  # type: ignore[attr-defined]
    _require_closed(document_id, closed_count, closed)
    if created:
        await session.execute(INSERT_TASKS, list(created))
    await session.execute(_ADVANCE_DOCUMENT, {"b_id": document_id, **{f"b_{k}": v for k, v in flow_values.items()}})
    await session.execute(_INSERT_ACTION, {"document_id": document_id, "at": flow_values["updated_at"], **history})


async def _write_action_pg(session: AsyncSession, document_id: int, closed: Sequence[dict[str, Any]],
                           created: Sequence[dict[str, Any]], flow_values: dict[str, Any],
                           history: dict[str, Any]) -> None:
    closed_columns = [[driver_value(task[c]) for task in closed] for c in ("task_no", *_CLOSING_COLUMNS)]
    created_columns = [[driver_value(task[c]) for task in created] for c in _NEW_TASK_COLUMNS]
    flow = [driver_value(flow_values[c]) for c in FLOW_COLUMNS]
    async with driver(session) as conn:
        closed_count = await conn.fetchval(_WRITE_ACTION_PG, document_id, *closed_columns, *created_columns, *flow,
                                           *(history[c] for c in _HISTORY_COLUMNS))
    _require_closed(document_id, closed_count, closed)


def _require_closed(document_id: int, closed_count: int, closed: Sequence[dict[str, Any]]) -> None:
    """Each task the engine closed must have been there: the flow was read under the document's lock."""
    if closed_count != len(closed):
        raise RuntimeError(f"公文 {document_id}: closed {closed_count} of {len(closed)} tasks")
