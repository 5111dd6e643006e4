"""Writing notification events inside the caller's transaction, and reading a recipient's stream."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Row, Text, and_, bindparam, cast, delete, func, or_, select
from sqlalchemy import insert as insert_rows
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from oa.database import driver, driver_value, is_postgresql, table_of
from oa.notify.models import NotificationCursor, NotificationEvent


@dataclass(frozen=True)
class PendingEvent:
    recipients: tuple[int, ...]
    type: str
    payload: dict[str, Any] = field(default_factory=dict)


async def write_events(session: AsyncSession, events: Sequence[PendingEvent], now: datetime) -> set[int]:
    """Give each recipient's events the next numbers of its stream; return who must be woken after commit."""
    per_recipient: dict[int, list[PendingEvent]] = defaultdict(list)
    for event in events:
        for recipient in dict.fromkeys(event.recipients):
            per_recipient[recipient].append(event)
    if not per_recipient:
        return set()
    recipients = sorted(per_recipient)  # one lock order everywhere: no deadlocks between fan-outs
    if is_postgresql(session):
        await _write_events_pg(session, recipients, per_recipient, now)
        return set(recipients)
    counts = {pid: len(per_recipient[pid]) for pid in recipients}
    lasts = await _advance_cursors_sqlite(session, counts)
    rows: list[dict[str, Any]] = []
    for pid in recipients:
        mine = per_recipient[pid]
        first = lasts[pid] - len(mine) + 1
        rows.extend(
            {"recipient_id": pid, "seq": first + i, "type": e.type, "payload": e.payload, "created_at": now}
            for i, e in enumerate(mine)
        )
    await session.execute(_INSERT_EVENTS, rows)
    return set(recipients)


# On the tables, not the mapped classes: Core statements, without the ORM's bulk-insert handling of each call.
_INSERT_EVENTS = insert_rows(table_of(NotificationEvent))
_CURSORS = table_of(NotificationCursor)
# On PostgreSQL one statement, sent to asyncpg directly (`oa.database.driver`): create the missing cursors and
# advance them all, then number each recipient's events back from its new last number. The upsert takes its rows in
# person order (`ORDER BY` in its SELECT), so it locks the cursors in that order and two fan-outs over overlapping
# people cannot deadlock. One UPDATE per recipient had made a distribution to 5,000 people cost 5,000 round trips
# inside the transaction (seconds, with the cursors locked).
_WRITE_EVENTS_PG = """
WITH cursor AS (
    INSERT INTO notification_cursors (person_id, last_seq)
    SELECT step.pid, step.n FROM unnest($1::bigint[], $2::bigint[]) AS step(pid, n) ORDER BY step.pid
    ON CONFLICT (person_id) DO UPDATE SET last_seq = notification_cursors.last_seq + excluded.last_seq
    RETURNING person_id, last_seq
)
INSERT INTO notification_events (recipient_id, seq, type, payload, created_at)
SELECT e.pid, cursor.last_seq - e.later, e.type, e.payload::json, $7
FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS e(pid, later, type, payload)
JOIN cursor ON cursor.person_id = e.pid
"""


async def _write_events_pg(session: AsyncSession, recipients: list[int],
                           per_recipient: Mapping[int, list[PendingEvent]], now: datetime) -> None:
    """Each recipient's events in order; `later` counts the recipient's events after this one, so the last event
    takes the cursor's new number and the first the number after the old one."""
    pids: list[int] = []
    later: list[int] = []
    types: list[str] = []
    payloads: list[str] = []
    for pid in recipients:
        mine = per_recipient[pid]
        for index, event in enumerate(mine):
            pids.append(pid)
            later.append(len(mine) - 1 - index)
            types.append(event.type)
            payloads.append(driver_value(event.payload))
    async with driver(session) as conn:
        await conn.execute(_WRITE_EVENTS_PG, recipients, [len(per_recipient[p]) for p in recipients],
                           pids, later, types, payloads, now)


_SQLITE_ROWS_PER_UPSERT = 500  # two parameters a row, well inside SQLite's limit on bound variables


async def _advance_cursors_sqlite(session: AsyncSession, counts: dict[int, int]) -> dict[int, int]:
    """The same upsert as PostgreSQL's, as VALUES in chunks: SQLite has one writer at a time, so no lock order."""
    pids = sorted(counts)
    lasts: dict[int, int] = {}
    for start in range(0, len(pids), _SQLITE_ROWS_PER_UPSERT):
        chunk = pids[start:start + _SQLITE_ROWS_PER_UPSERT]
        rows = sqlite_insert(_CURSORS).values([{"person_id": p, "last_seq": counts[p]} for p in chunk])
        upsert = rows.on_conflict_do_update(
            index_elements=["person_id"], set_={"last_seq": _CURSORS.c.last_seq + rows.excluded.last_seq},
        ).returning(_CURSORS.c.person_id, _CURSORS.c.last_seq)
        lasts.update((int(pid), int(last)) for pid, last in (await session.execute(upsert)).all())
    return lasts


async def events_after(
    session: AsyncSession, recipient_id: int, last_seq: int, limit: int = 500
) -> list[NotificationEvent]:
    return list(
        (
            await session.execute(
                select(NotificationEvent)
                .where(NotificationEvent.recipient_id == recipient_id, NotificationEvent.seq > last_seq)
                .order_by(NotificationEvent.seq)
                .limit(limit)
            )
        ).scalars()
    )


async def last_seq(session: AsyncSession, recipient_id: int) -> int:
    """The newest number of a recipient's stream (0 before the first event). Read, not locked."""
    value = (
        await session.execute(select(NotificationCursor.last_seq).where(NotificationCursor.person_id == recipient_id))
    ).scalar_one_or_none()
    return int(value or 0)


@dataclass(frozen=True)
class Backlog:
    """What a (re)connecting client is owed: the events after its id, or a resync to the present."""

    events: list[NotificationEvent]
    last_seq: int
    resync_reason: str | None = None


async def read_backlog(session: AsyncSession, recipient_id: int, after: int | None, max_backlog: int) -> Backlog:
    """Events after `after`, in order; a resync when they were pruned, are too many, or the id is from the future."""
    current = await last_seq(session, recipient_id)
    if after is None or after == current:
        return Backlog([], current)
    if after > current:
        return Backlog([], current, "id-unknown")  # a reset database or another person's id: start afresh
    events = await events_after(session, recipient_id, after, limit=max_backlog + 1)
    if len(events) > max_backlog:
        return Backlog([], current, "too-far-behind")
    if not events or events[0].seq != after + 1:
        return Backlog([], current, "pruned")  # the retention window dropped events the client never saw
    return Backlog(events, events[-1].seq)


# Recipients per statement in a batched read: keeps the statement small on both databases.
_BATCH = 200


# The payload comes back as its stored JSON text: a fan-out splices it into frames without decoding it per row.
_STREAM_COLUMNS = (NotificationEvent.recipient_id, NotificationEvent.seq, NotificationEvent.type,
                   cast(NotificationEvent.payload, Text).label("payload_json"), NotificationEvent.created_at)


async def events_after_many(
    session: AsyncSession, cursors: Mapping[int, int], per_recipient: int
) -> list[Row[Any]]:
    """New events of many recipients in few statements: at most `per_recipient` each, by recipient then seq.

    Numbers are dense per recipient, so `seq <= after + per_recipient` bounds each recipient's rows without a
    window function. Plain rows, not ORM objects: a fan-out reads thousands and only copies them into frames.
    """
    if session.bind.dialect.name == "postgresql":
        return await _events_after_many_pg(session, cursors, per_recipient)
    found: list[Row[Any]] = []
    items = sorted(cursors.items())
    for start in range(0, len(items), _BATCH):
        chunk = items[start:start + _BATCH]
        condition = or_(*(
            and_(NotificationEvent.recipient_id == pid, NotificationEvent.seq > after,
                 NotificationEvent.seq <= after + per_recipient)
            for pid, after in chunk
        ))
        rows = await session.execute(
            select(*_STREAM_COLUMNS).where(condition).order_by(NotificationEvent.recipient_id, NotificationEvent.seq)
        )
        found.extend(rows.all())
    return found


async def _events_after_many_pg(
    session: AsyncSession, cursors: Mapping[int, int], per_recipient: int
) -> list[Row[Any]]:
    """PostgreSQL: one statement joining the events to an unnest() of (person, after) pairs, whatever their number.

    A long OR of per-person conditions costs the planner more than the read (0.1 s for 200 people); the join
    plans in microseconds and walks the (recipient_id, seq) index once per person.
    """
    pids = sorted(cursors)
    wanted = func.unnest(
        bindparam("pids", pids, type_=ARRAY(BigInteger)),
        bindparam("afters", [cursors[p] for p in pids], type_=ARRAY(BigInteger)),
    ).table_valued("pid", "after").render_derived(name="wanted")
    rows = await session.execute(
        select(*_STREAM_COLUMNS)
        .join(wanted, and_(NotificationEvent.recipient_id == wanted.c.pid, NotificationEvent.seq > wanted.c.after,
                           NotificationEvent.seq <= wanted.c.after + per_recipient))
        .order_by(NotificationEvent.recipient_id, NotificationEvent.seq)
    )
    return list(rows.all())


async def streams_behind(session: AsyncSession, cursors: Mapping[int, int]) -> list[int]:
    """Of these people, the ones whose stream has moved past the given number (what this node handed over).

    The catch-up asks this of every connected person at once and gets back only the few who are behind: two
    integer arrays in, a handful of ids out, instead of reading the heads of everyone with recent events (thousands
    of rows after a distribution) and comparing them here.
    """
    if not cursors:
        return []
    pids = sorted(cursors)
    if session.bind.dialect.name == "postgresql":
        known = func.unnest(
            bindparam("pids", pids, type_=ARRAY(BigInteger)),
            bindparam("cursors", [cursors[p] for p in pids], type_=ARRAY(BigInteger)),
        ).table_valued("pid", "cursor").render_derived(name="known")
        rows = await session.execute(
            select(NotificationCursor.person_id).join(
                known, and_(NotificationCursor.person_id == known.c.pid, NotificationCursor.last_seq > known.c.cursor))
        )
        return sorted(int(pid) for pid in rows.scalars())
    behind: list[int] = []
    for start in range(0, len(pids), 1000):  # SQLite serves one node: its catch-up only covers a lost in-process wake
        rows = await session.execute(
            select(NotificationCursor.person_id, NotificationCursor.last_seq)
            .where(NotificationCursor.person_id.in_(pids[start:start + 1000]))
        )
        behind.extend(int(pid) for pid, last in rows.all() if last > cursors[pid])
    return sorted(behind)


async def prune_events(session: AsyncSession, before: datetime) -> int:
    """Delete events older than the retention window; clients that needed them get a resync, never a gap."""
    result = await session.execute(delete(NotificationEvent).where(NotificationEvent.created_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
