"""Old events are pruned past the retention window; recent ones stay, and the stream numbers never restart."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from oa.database import utcnow
from oa.notify import service
from oa.notify.models import NotificationEvent
from oa.notify.prune import prune


async def test_the_prune_command_removes_only_events_older_than_the_retention(demo, kit):
    me = await kit.person_id(demo, "xsx.drafter")
    now = utcnow()
    async with demo.sessions() as session, session.begin():
        await service.write_events(session, [service.PendingEvent((me,), "old", {})] * 3, now - timedelta(days=31))
        await service.write_events(session, [service.PendingEvent((me,), "recent", {})] * 2, now - timedelta(days=29))

    assert await prune(demo.settings, 30) == 3

    async with demo.sessions() as session:
        left = (await session.execute(select(NotificationEvent.seq, NotificationEvent.type)
                                      .where(NotificationEvent.recipient_id == me)
                                      .order_by(NotificationEvent.seq))).all()
        assert [tuple(r) for r in left] == [(4, "recent"), (5, "recent")]
        assert await service.last_seq(session, me) == 5
    async with demo.sessions() as session, session.begin():
        await service.write_events(session, [service.PendingEvent((me,), "next", {})], now)
    async with demo.sessions() as session:
        assert await service.last_seq(session, me) == 6  # pruning never hands out a number twice
