"""Writing notification events inside the caller's transaction, and reading a recipient's stream."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert as insert_rows
from sqlalchemy import select, update
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
