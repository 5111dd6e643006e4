"""What a workflow action reads once its document is locked: the document's tasks (its flow), the unit's roster
with the people the user named (checked), and the delegations in force.

On PostgreSQL the three are one statement sent to asyncpg directly (`oa.database.driver`), each as an array of
rows: every action in the county reads them, and each round trip to the database costs the app node more CPU than
the reading. It runs after the lock, so it sees the tasks as the last action on the document left them. On SQLite,
the three reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.directory import delegations_in_force, delegations_of, roster_checked, roster_checking
from docflow.outgoing.flows import flow_from_rows
from docflow.outgoing.models import Document, DocumentTask
from docflow.rules.delegation import Delegation
from docflow.rules.workflow_definition import Roster
from docflow.rules.workflow_state import Flow
from oa.database import driver, is_postgresql, table_of

# The task columns the flow is made from (`flows.TaskColumns`), in the order the PostgreSQL statement reads them.
TASK_COLUMNS = ("task_no", "step", "holder_id", "round", "created_at", "assigned_by_id", "due_at", "status",
                "outcome", "opinion", "acted_by_id", "closed_at")
_TASKS = table_of(DocumentTask)
_TASKS_OF = select(*(_TASKS.c[c] for c in TASK_COLUMNS)).where(_TASKS.c.document_id == bindparam("document_id"))
_CONTEXT_PG = """
SELECT
  ARRAY(SELECT ROW(task_no, step, holder_id, round, created_at, assigned_by_id, due_at, status, outcome, opinion,
                   acted_by_id, closed_at)
        FROM document_tasks WHERE document_id = $1) AS tasks,
  ARRAY(SELECT ROW(p.id, r.role, p.unit_id) FROM people AS p JOIN person_roles AS r ON r.person_id = p.id
        WHERE p.active AND (p.unit_id = $2 OR p.id = ANY($3::int[]))) AS people,
  ARRAY(SELECT ROW(person_id, delegate_id, starts_at, ends_at) FROM delegations
        WHERE revoked_at IS NULL AND starts_at <= $4 AND ends_at > $4) AS delegations
"""


@dataclass(frozen=True)
class ActionContext:
    flow: Flow
    roster: Roster
    delegations: list[Delegation]


async def read_context(session: AsyncSession, document: Document, named: Iterable[int], field: str,
                       now: datetime) -> ActionContext:
    """The context of an action on the locked `document`; the people `named` as holders (the request's `field`)
    must be active people who work on documents, or the action is refused with a message on that field."""
    wanted = sorted(set(named))
    if is_postgresql(session):
        async with driver(session) as conn:
            tasks, people, delegations = await conn.fetchrow(_CONTEXT_PG, document.id, document.unit_id, wanted, now)
        return ActionContext(
            flow_from_rows(document, [SimpleNamespace(**dict(zip(TASK_COLUMNS, t, strict=True))) for t in tasks]),
            roster_checked(people, document.unit_id, wanted, field),
            delegations_of(delegations),
        )
    return ActionContext(
        flow_from_rows(document, (await session.execute(_TASKS_OF, {"document_id": document.id})).all()),
        await roster_checking(session, document.unit_id, wanted, field),
        await delegations_in_force(session, now),
    )
