"""Appending to the audit trail inside the caller's transaction, verifying the chain, and searching it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from oa.audit.chain import (
    ChainFields,
    ChainReport,
    ChainWalker,
    StoredRecord,
    canonical_around_id,
    record_hash,
)
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

# On PostgreSQL, sent to asyncpg directly (`oa.database.driver`) as one statement that locks the head, numbers and
# hashes the records from it (`canonical_around_id`: only the id and the previous hash are the head's), inserts them
# and moves the head. Every commit in the county waits for this lock, and holds it until its own commit: with the
# lock taken inside the statement, no round trip to the app node (nor its turn in the node's event loop) falls
# between taking the lock and committing, so the whole county's write rate is bounded by less.
_APPEND_PG = """
WITH RECURSIVE
head AS (SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE),
entry AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::text[], $6::int[], $7::int[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
    WITH ORDINALITY AS e(before_id, after_id, at, actor_id, actor_name, acting_for_id, unit_id, action,
                         target_type, target_id, ip, request_id, outcome, detail, n)
),
chain (n, id, prev_hash, hash) AS (
  SELECT 0::bigint, last_id, NULL::text, last_hash::text FROM head
  UNION ALL
  SELECT e.n, c.id + 1, c.hash,
         encode(sha256(convert_to(c.hash || e.before_id || (c.id + 1)::text || e.after_id, 'UTF8')), 'hex')
  FROM chain c JOIN entry e ON e.n = c.n + 1
),
moved AS (
  UPDATE audit_chain_head SET last_id = tip.id, last_hash = tip.hash
  FROM (SELECT id, hash FROM chain ORDER BY n DESC LIMIT 1) AS tip
  WHERE audit_chain_head.id = 1
)
INSERT INTO audit_log (id, at, actor_id, actor_name, acting_for_id, unit_id, action, target_type, target_id, ip,
                       request_id, outcome, detail, prev_hash, hash)
SELECT c.id, e.at, e.actor_id, e.actor_name, e.acting_for_id, e.unit_id, e.action, e.target_type, e.target_id, e.ip,
       e.request_id, e.outcome, e.detail::json, c.prev_hash, c.hash
FROM chain c JOIN entry e ON e.n = c.n
RETURNING id
"""
_ENTRY_COLUMNS = ("at", "actor_id", "actor_name", "acting_for_id", "unit_id", "action", "target_type", "target_id",
                  "ip", "request_id", "outcome", "detail")


async def append(session: AsyncSession, entries: Sequence[AuditEntry]) -> list[int]:
    """Chain `entries` onto the trail. Call last in the transaction: the head stays locked until commit."""
    if not entries:
        return []
    if is_postgresql(session):
        fields = [_fields(entry, 0) for entry in entries]  # the head gives the ids
        parts = [canonical_around_id(f) for f in fields]
        columns = [[driver_value(getattr(f, name)) for f in fields] for name in _ENTRY_COLUMNS]
        async with driver(session) as conn:
            rows = await conn.fetch(_APPEND_PG, [p[0] for p in parts], [p[1] for p in parts], *columns)
        return sorted(row["id"] for row in rows)
    last_id, last_hash = (await session.execute(_LOCK_HEAD)).one()
    rows = _chained(entries, last_id, last_hash)
    await session.execute(_INSERT_RECORDS, rows)
    await session.execute(_MOVE_HEAD, {"new_id": rows[-1]["id"], "new_hash": rows[-1]["hash"]})
    return [row["id"] for row in rows]


def _fields(entry: AuditEntry, record_id: int) -> ChainFields:
    actor = entry.actor
    return ChainFields(
        id=record_id,
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


def _chained(entries: Sequence[AuditEntry], last_id: int, last_hash: str) -> list[dict[str, Any]]:
    """The rows of `entries`, numbered and hashed onto the chain after (`last_id`, `last_hash`)."""
    rows: list[dict[str, Any]] = []
    for entry in entries:
        last_id += 1
        fields = _fields(entry, last_id)
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
