"""Events reach the right person, after commit only, in order, and a reconnecting client misses nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from oa.auth.principal import RequestContext
from oa.notify import service
from oa.notify.models import NotificationEvent


async def test_an_event_arrives_only_after_its_change_commits(nodes, kit):
    node = await nodes.start()
    me = await kit.person_id(node.services, "xsx.drafter")
    sock, ready = await kit.connected(node, token=await kit.bearer(node, "xsx.drafter"))
    assert ready == {"id": 0, "type": "ready"}

    async with node.services.unit_of_work(None, RequestContext(ip="test")) as uow:
        uow.notify([me], "task.new", {"doc": 1})
        uow.audit("test.notify")
        await uow.session.flush()
        assert await sock.silent_for(0.3)  # recorded but not committed: nobody is told yet
        await uow.commit()
    event = await sock.next()
    assert (event["id"], event["type"], event["data"]) == (1, "task.new", {"doc": 1})


async def test_a_rolled_back_change_never_reaches_anyone(nodes, kit):
    node = await nodes.start()
    me = await kit.person_id(node.services, "xsx.drafter")
    sock, _ = await kit.connected(node, token=await kit.bearer(node, "xsx.drafter"))

    with pytest.raises(RuntimeError, match="validation failed"):
        async with node.services.unit_of_work(None, RequestContext(ip="test")) as uow:
            uow.notify([me], "task.new", {"doc": "rolled-back"})
            uow.audit("test.notify")
            raise RuntimeError("validation failed")
    await kit.emit(node.services, [me], "task.new", [{"doc": "kept"}])

    event = await sock.next()
    # The rolled-back change took no number either: the first event anyone sees is 1, and it is the kept one.
    assert (event["id"], event["data"]) == (1, {"doc": "kept"})
    assert await sock.silent_for(0.3)


async def test_another_persons_events_never_reach_you(nodes, kit):
    node = await nodes.start()
    me = await kit.person_id(node.services, "xsx.drafter")
    other = await kit.person_id(node.services, "ddjd.registrar")
    mine, _ = await kit.connected(node, token=await kit.bearer(node, "xsx.drafter"))
    theirs, _ = await kit.connected(node, token=await kit.bearer(node, "ddjd.registrar"))

    await kit.emit(node.services, [other], "doc.arrived", [{"doc": "for-the-registrar"}])
    await kit.emit(node.services, [me], "task.new", [{"doc": "for-me"}])

    assert (await theirs.next())["data"] == {"doc": "for-the-registrar"}
    assert (await mine.next())["data"] == {"doc": "for-me"}
    assert await mine.silent_for(0.3) and await theirs.silent_for(0.1)


async def test_a_client_that_reconnects_with_its_last_id_misses_nothing_and_sees_nothing_twice(nodes, kit):
    node = await nodes.start()
    me = await kit.person_id(node.services, "xsx.drafter")
    token = await kit.bearer(node, "xsx.drafter")
    sock, _ = await kit.connected(node, token=token)
    for i in range(3):
        await kit.emit(node.services, [me], f"type.{i % 2}", [{"n": i}])
    seen = await sock.events(3)
    await sock.close()

    # Away: events of several types, one change with two events, and some for someone else interleaved.
    other = await kit.person_id(node.services, "ddjd.registrar")
    for i in range(3, 9):
        await kit.emit(node.services, [me, other] if i % 3 else [me], f"type.{i % 2}", [{"n": i}])
    await kit.emit(node.services, [me], "pair", [{"n": 9}, {"n": 10}])

    again, ready = await kit.connected(node, token=token, last_event_id=seen[-1]["id"])
    assert ready["id"] == 3
    await kit.emit(node.services, [me], "after", [{"n": 11}])  # live events continue the replay seamlessly
    seen += await again.events(9)

    assert [e["id"] for e in seen] == list(range(1, 13))
    assert [e["data"]["n"] for e in seen] == list(range(12))
    assert await again.silent_for(0.3)
    # Zulip's check: the state built from the frames equals a fresh read of the stream.
    async with node.services.sessions() as session:
        fresh = await service.events_after(session, me, 0)
    assert [(e["id"], e["type"], e["data"]) for e in seen] == [(r.seq, r.type, r.payload) for r in fresh]


async def test_a_client_whose_missed_events_were_pruned_is_told_to_resync(nodes, kit):
    node = await nodes.start()
    me = await kit.person_id(node.services, "xsx.drafter")
    await kit.emit(node.services, [me], "task.new", [{"n": i} for i in range(3)])
    async with node.services.sessions() as session, session.begin():
        pruned = await service.prune_events(session, node.services.unit_of_work(None, RequestContext()).now)
    assert pruned == 3

    sock, first = await kit.connected(node, token=await kit.bearer(node, "xsx.drafter"), last_event_id=1)
    assert first == {"id": 3, "type": "resync", "data": {"reason": "pruned"}}
    await kit.emit(node.services, [me], "task.new", [{"n": 3}])
    assert (await sock.next())["id"] == 4  # and the stream continues from the present


async def test_a_client_too_far_behind_is_told_to_resync_rather_than_flooded(nodes, kit):
    node = await nodes.start(kit.config(max_backlog=5))
    me = await kit.person_id(node.services, "xsx.drafter")
    await kit.emit(node.services, [me], "task.new", [{"n": i} for i in range(10)])
    token = await kit.bearer(node, "xsx.drafter")

    _, behind = await kit.connected(node, token=token, last_event_id=4)
    assert behind == {"id": 10, "type": "resync", "data": {"reason": "too-far-behind"}}
    near, ready = await kit.connected(node, token=token, last_event_id=5)
    assert ready == {"id": 5, "type": "ready"}
    assert [e["id"] for e in await near.events(5)] == [6, 7, 8, 9, 10]
    _, future = await kit.connected(node, token=token, last_event_id=99)
    assert future["type"] == "resync" and future["id"] == 10


async def test_a_missed_wake_up_only_delays_the_event_until_the_catch_up(nodes, kit):
    node = await nodes.start(kit.config(catchup_seconds=0.3))
    me = await kit.person_id(node.services, "xsx.drafter")
    sock, _ = await kit.connected(node, token=await kit.bearer(node, "xsx.drafter"))

    # Write the event behind the bus's back, as if the wake-up had been lost on the way.
    async with node.services.sessions() as session, session.begin():
        await service.write_events(session, [service.PendingEvent((me,), "task.new", {"lost": "wake-up"})],
                                   node.services.unit_of_work(None, RequestContext()).now)
    event = await sock.next(timeout=5)
    assert (event["id"], event["data"]) == (1, {"lost": "wake-up"})


async def test_an_event_from_a_long_transaction_missing_its_wake_up_is_found_by_the_catch_up(nodes, kit):
    node = await nodes.start(kit.config(catchup_seconds=0.3))
    me = await kit.person_id(node.services, "xsx.drafter")
    sock, _ = await kit.connected(node, token=await kit.bearer(node, "xsx.drafter"))

    # Stamped an hour ago (its transaction began then), committed now, wake-up lost: the stamp does not matter.
    an_hour_ago = node.services.unit_of_work(None, RequestContext()).now - timedelta(hours=1)
    async with node.services.sessions() as session, session.begin():
        await service.write_events(session, [service.PendingEvent((me,), "task.new", {"slow": "transaction"})],
                                   an_hour_ago)
    event = await sock.next(timeout=5)
    assert (event["id"], event["data"]) == (1, {"slow": "transaction"})


async def test_several_tabs_of_one_person_each_get_every_event(nodes, kit):
    node = await nodes.start()
    me = await kit.person_id(node.services, "xsx.drafter")
    token = await kit.bearer(node, "xsx.drafter")
    tabs = [(await kit.connected(node, token=token))[0] for _ in range(3)]
    await kit.emit(node.services, [me], "task.new", [{"n": 1}])
    for tab in tabs:
        assert (await tab.next())["id"] == 1
    async with node.services.sessions() as session:
        stored = (await session.execute(select(NotificationEvent).where(NotificationEvent.recipient_id == me))).all()
    assert len(stored) == 1
    await asyncio.sleep(0)
