"""Appending to the audit trail inside the caller's transaction, verifying the chain, and searching it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from oa.audit.chain import ChainFields, ChainReport, ChainWalker, StoredRecord, record_hash
from oa.audit.models import AuditChainHead, AuditRecord, Outcome
from oa.auth.principal import Principal, RequestContext
from oa.database import driver, driver_value, is_postgresql, table_of


@dataclass(frozen=True)
class AuditEntry:
    """What happened, before it has an id and a place in the chain."""

    action: str
    at: datetime
    actor: Principal | None
    context: RequestContext
    target_type: str | None = None
    target_id: str | None = None
    unit_id: int | None = None
    outcome: Outcome = Outcome.SUCCESS
    detail: dict[str, Any] = field(default_factory=dict)
    acting_for_id: int | None = None
    actor_name: str | None = None


# The append path on SQLite as Core statements on the tables, built once: it runs in every transaction of the
# county, and the ORM's unit-of-work flush of each record cost more than the rest of the append.
_HEAD = table_of(AuditChainHead)
_LOCK_HEAD = select(_HEAD.c.last_id, _HEAD.c.last_hash).where(_HEAD.c.id == 1).with_for_update()
_INSERT_RECORDS = insert(table_of(AuditRecord))
_MOVE_HEAD = update(_HEAD).where(_HEAD.c.id == 1).values(last_id=bindparam("new_id"), last_hash=bindparam("new_hash"))

# On PostgreSQL, sent to asyncpg directly (`oa.database.driver`): the head locked, then the records inserted and
# the head moved by one statement.
_LOCK_HEAD_PG = "SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE"
_RECORD_COLUMNS = ("id", "at", "actor_id", "actor_name", "acting_for_id", "unit_id", "action", "target_type",
                   "target_id", "ip", "request_id", "outcome", "detail", "prev_hash", "hash")
_APPEND_PG = """
WITH head AS (UPDATE audit_chain_head SET last_id = $16, last_hash = $17 WHERE id = 1)
INSERT INTO audit_log (id, at, actor_id, actor_name, acting_for_id, unit_id, action, target_type, target_id, ip,
                       request_id, outcome, detail, prev_hash, hash)
SELECT r.id, r.at, r.actor_id, r.actor_name, r.acting_for_id, r.unit_id, r.action, r.target_type, r.target_id, r.ip,
       r.request_id, r.outcome, r.detail::json, r.prev_hash, r.hash
FROM unnest($1::bigint[], $2::timestamptz[], $3::int[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[],
            $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
     AS r(id, at, actor_id, actor_name, acting_for_id, unit_id, action, target_type, target_id, ip, request_id,
          outcome, detail, prev_hash, hash)
"""


async def append(session: AsyncSession, entries: Sequence[AuditEntry]) -> list[int]:
    """Chain `entries` onto the trail. Call last in the transaction: the head stays locked until commit."""
    if not entries:
        return []
    if is_postgresql(session):
        async with driver(session) as conn:
            last_id, last_hash = await conn.fetchrow(_LOCK_HEAD_PG)
            rows = _chained(entries, last_id, last_hash)
            columns = [[driver_value(row[c]) for row in rows] for c in _RECORD_COLUMNS]
            await conn.execute(_APPEND_PG, *columns, rows[-1]["id"], rows[-1]["hash"])
    else:
        last_id, last_hash = (await session.execute(_LOCK_HEAD)).one()
        rows = _chained(entries, last_id, last_hash)
        await session.execute(_INSERT_RECORDS, rows)
        await session.execute(_MOVE_HEAD, {"new_id": rows[-1]["id"], "new_hash": rows[-1]["hash"]})
    return [row["id"] for row in rows]


def _chained(entries: Sequence[AuditEntry], last_id: int, last_hash: str) -> list[dict[str, Any]]:
    """The rows of `entries`, numbered and hashed onto the chain after (`last_id`, `last_hash`)."""
    rows: list[dict[str, Any]] = []
    for entry in entries:
        last_id += 1
        actor = entry.actor
        fields = ChainFields(
            id=last_id,
            at=entry.at,
            actor_id=actor.person_id if actor else None,
            actor_name=actor.name if actor else entry.actor_name,
            acting_for_id=entry.acting_for_id,
            unit_id=entry.unit_id if entry.unit_id is not None else (actor.unit_id if actor else None),
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            ip=entry.context.ip,
            request_id=entry.context.request_id,
            outcome=entry.outcome.value,
            detail=entry.detail,
        )
        digest = record_hash(last_hash, fields)
        rows.append(_columns(fields) | {"outcome": entry.outcome, "prev_hash": last_hash, "hash": digest})
        last_hash = digest
    return rows


def _columns(fields: ChainFields) -> dict[str, Any]:
    return {
        "id": fields.id, "at": fields.at, "actor_id": fields.actor_id, "actor_name": fields.actor_name,
        "acting_for_id": fields.acting_for_id, "unit_id": fields.unit_id, "action": fields.action,
        "target_type": fields.target_type, "target_id": fields.target_id, "ip": fields.ip,
        "request_id": fields.request_id, "detail": fields.detail,
    }


def _stored(record: AuditRecord) -> StoredRecord:
    fields = ChainFields(
        id=record.id, at=record.at, actor_id=record.actor_id, actor_name=record.actor_name,
        acting_for_id=record.acting_for_id, unit_id=record.unit_id, action=record.action,
        target_type=record.target_type, target_id=record.target_id, ip=record.ip, request_id=record.request_id,
        outcome=record.outcome.value, detail=record.detail,
    )
    return StoredRecord(fields, record.prev_hash, record.hash)


async def verify(session: AsyncSession, batch: int = 2000) -> ChainReport:
    """Walk the whole trail in id order, in batches, so memory stays flat however long it is."""
    head = (await session.execute(select(AuditChainHead).where(AuditChainHead.id == 1))).scalar_one_or_none()
    head_pair = (head.last_id, head.last_hash) if head else None
    walker = ChainWalker()
    after = 0
    while True:
        rows = (
            await session.execute(
                select(AuditRecord).where(AuditRecord.id > after).order_by(AuditRecord.id).limit(batch)
            )
        ).scalars().all()
        if not rows:
            return walker.finish(head_pair)
        for row in rows:
            failure = walker.step(_stored(row))
            if failure is not None:
                return failure
        after = rows[-1].id
        session.expunge_all()


@dataclass(frozen=True)
class AuditQuery:
    actor_id: int | None = None
    action: str | None = None
    unit_id: int | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1
    page_size: int = 50


async def search(session: AsyncSession, query: AuditQuery) -> tuple[list[AuditRecord], int]:
    conditions = []
    if query.actor_id is not None:
        conditions.append(AuditRecord.actor_id == query.actor_id)
    if query.action:
        conditions.append(AuditRecord.action.startswith(query.action, autoescape=True))
    if query.unit_id is not None:
        conditions.append(AuditRecord.unit_id == query.unit_id)
    if query.target_type:
        conditions.append(AuditRecord.target_type == query.target_type)
    if query.target_id:
        conditions.append(AuditRecord.target_id == query.target_id)
    if query.since:
        conditions.append(AuditRecord.at >= query.since)
    if query.until:
        conditions.append(AuditRecord.at < query.until)
    total = (await session.execute(select(func.count()).select_from(AuditRecord).where(*conditions))).scalar_one()
    rows = (
        await session.execute(
            select(AuditRecord)
            .where(*conditions)
            .order_by(AuditRecord.id.desc())
            .offset((query.page - 1) * query.page_size)
            .limit(query.page_size)
        )
    ).scalars().all()
    return list(rows), total
