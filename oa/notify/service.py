"""Writing notification events inside the caller's transaction, and reading a recipient's stream."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy import insert as insert_rows
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

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
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(NotificationCursor)
        .values([{"person_id": pid, "last_seq": 0} for pid in recipients])
        .on_conflict_do_nothing(index_elements=["person_id"])
    )
    rows: list[dict[str, Any]] = []
    for pid in recipients:
        mine = per_recipient[pid]
        last = (
            await session.execute(
                update(NotificationCursor)
                .where(NotificationCursor.person_id == pid)
                .values(last_seq=NotificationCursor.last_seq + len(mine))
                .returning(NotificationCursor.last_seq)
            )
        ).scalar_one()
        first = last - len(mine) + 1
        rows.extend(
            {"recipient_id": pid, "seq": first + i, "type": e.type, "payload": e.payload, "created_at": now}
            for i, e in enumerate(mine)
        )
    await session.execute(insert_rows(NotificationEvent), rows)
    return set(recipients)


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


async def events_after_many(
    session: AsyncSession, cursors: Mapping[int, int], per_recipient: int
) -> list[NotificationEvent]:
    """New events of many recipients in few statements: at most `per_recipient` each, by recipient then seq.

    Numbers are dense per recipient, so `seq <= after + per_recipient` bounds each recipient's rows without a
    window function; a woken node reads the streams of everyone it woke in one round trip per 200 people.
    """
    found: list[NotificationEvent] = []
    items = sorted(cursors.items())
    for start in range(0, len(items), _BATCH):
        chunk = items[start:start + _BATCH]
        condition = or_(*(
            and_(NotificationEvent.recipient_id == pid, NotificationEvent.seq > after,
                 NotificationEvent.seq <= after + per_recipient)
            for pid, after in chunk
        ))
        rows = await session.execute(
            select(NotificationEvent).where(condition)
            .order_by(NotificationEvent.recipient_id, NotificationEvent.seq)
        )
        found.extend(rows.scalars())
    return found


async def recent_recipients(session: AsyncSession, since: datetime) -> set[int]:
    """Who received events stamped after `since` (the cheap catch-up: it reads the created_at index only)."""
    rows = await session.execute(
        select(NotificationEvent.recipient_id).where(NotificationEvent.created_at > since).distinct()
    )
    return set(rows.scalars())


async def prune_events(session: AsyncSession, before: datetime) -> int:
    """Delete events older than the retention window; clients that needed them get a resync, never a gap."""
    result = await session.execute(delete(NotificationEvent).where(NotificationEvent.created_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
