"""Many transactions numbering events for overlapping people at once, on PostgreSQL's real row locks: every
commit succeeds (the cursors are locked in one order, so no deadlock), and each person's stream is 1..n with no
gap and no number given twice, for people whose stream is new and people who already had one."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest
from sqlalchemy import select

from oa.database import utcnow
from oa.notify import service
from oa.notify.models import NotificationEvent
from oa.org.models import Person

pytestmark = pytest.mark.postgres_only


async def test_overlapping_fan_outs_at_once_number_every_stream_without_gap_or_deadlock(demo):
    async with demo.sessions() as session:
        people = list((await session.execute(select(Person.id).order_by(Person.id).limit(30))).scalars().all())
    async with demo.sessions() as session, session.begin():  # a third of them already have a stream
        await service.write_events(session, [service.PendingEvent(tuple(people[:10]), "before", {})], utcnow())
    async with demo.sessions() as session:
        before = {pid: await service.last_seq(session, pid) for pid in people}
    assert sum(1 for last in before.values() if last) >= 10

    shuffler = random.Random(20261205)
    fan_outs = []
    for index in range(40):  # each names a random half of the people, in a random order, sometimes twice
        chosen = shuffler.sample(people, 15)
        fan_outs.append([service.PendingEvent(tuple(chosen), "wave", {"i": index}),
                         service.PendingEvent(tuple(reversed(chosen[:5])), "again", {"i": index})])

    async def write(events: list[service.PendingEvent]) -> set[int]:
        async with demo.sessions() as session, session.begin():
            woken = await service.write_events(session, events, utcnow())
            await asyncio.sleep(0.01)  # hold the cursors' locks a moment, as an action's other writes do
            return woken

    woken = await asyncio.wait_for(asyncio.gather(*(write(events) for events in fan_outs)), timeout=120)

    expected = Counter(before)
    for events, told in zip(fan_outs, woken, strict=True):
        named = {pid for event in events for pid in event.recipients}
        assert told == named
        for event in events:
            expected.update(set(event.recipients))
    async with demo.sessions() as session:
        rows = (await session.execute(select(NotificationEvent.recipient_id, NotificationEvent.seq)
                                      .where(NotificationEvent.recipient_id.in_(people)))).all()
        lasts = {pid: await service.last_seq(session, pid) for pid in people}
    seqs: dict[int, list[int]] = {}
    for pid, seq in rows:
        seqs.setdefault(pid, []).append(seq)
    for pid in people:
        assert lasts[pid] == expected[pid], pid
        assert sorted(seqs.get(pid, [])) == list(range(1, expected[pid] + 1)), pid
