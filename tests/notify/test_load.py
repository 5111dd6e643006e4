"""No floods and no hostages: bursts become summaries, badges are coalesced, a slow client is dropped alone."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from sqlalchemy import func, select
from websockets.exceptions import ConnectionClosed

from oa.notify.badges import register_badges, unregister_badges
from oa.notify.models import NotificationEvent


async def test_a_burst_reaches_the_person_as_one_summary_and_resume_stays_exact(nodes, kit):
    node = await nodes.start(kit.config(burst_limit=3, burst_window_seconds=0.3))
    me = await kit.person_id(node.services, "xsx.drafter")
    token = await kit.bearer(node, "xsx.drafter")
    sock, _ = await kit.connected(node, token=token)

    # A distribution to 40 units signs back within one change, with one unrelated task in the middle.
    await kit.emit(node.services, [me], "distribution.received", [{"unit": i} for i in range(20)])
    await kit.emit(node.services, [me], "task.new", [{"doc": 7}])
    await kit.emit(node.services, [me], "distribution.received", [{"unit": i} for i in range(20, 40)])

    frames = await sock.events(5)
    assert [(f["id"], f["type"]) for f in frames] == [
        (1, "distribution.received"), (2, "distribution.received"), (3, "distribution.received"),
        (21, "task.new"), (41, "summary")]
    assert frames[-1]["data"] == {"counts": {"distribution.received": 37}, "first_id": 4, "last_id": 41}
    assert await sock.silent_for(0.5)

    # The summary's id is a resume point like any other: nothing is replayed, nothing was skipped.
    await sock.close()
    _, ready = await kit.connected(node, token=token, last_event_id=frames[-1]["id"])
    assert ready == {"id": 41, "type": "ready"}


async def test_a_long_burst_keeps_folding_into_one_summary_per_window(nodes, kit):
    node = await nodes.start(kit.config(burst_limit=2, burst_window_seconds=0.2))
    me = await kit.person_id(node.services, "xsx.drafter")
    sock, _ = await kit.connected(node, token=await kit.bearer(node, "xsx.drafter"))
    for batch in range(6):
        await kit.emit(node.services, [me], "reminder", [{"batch": batch, "n": n} for n in range(10)])

    covered: list[int] = []
    while not covered or covered[-1] < 60:
        frame = await sock.next()
        if frame["type"] == "summary":
            covered += list(range(frame["data"]["first_id"], frame["data"]["last_id"] + 1))
        else:
            covered.append(frame["id"])
    assert covered == list(range(1, 61))  # every event exactly once, individually or inside a summary


@pytest.fixture
def probe_badge():
    async def count_their_events(session, person_ids):
        query = (select(NotificationEvent.recipient_id, func.count())
                 .where(NotificationEvent.recipient_id.in_(person_ids)).group_by(NotificationEvent.recipient_id))
        return {pid: {"probe": n} for pid, n in (await session.execute(query)).all()}

    register_badges("probe", ["probe"], count_their_events)
    yield
    unregister_badges("probe")


async def test_badges_come_on_connect_and_coalesced_after_events(nodes, kit, probe_badge):
    node = await nodes.start(kit.config(badge_interval_seconds=0.3))
    me = await kit.person_id(node.services, "xsx.drafter")
    sock = await kit.open(node, token=await kit.bearer(node, "xsx.drafter"))
    assert (await sock.next(skip=("ping",)))["type"] == "ready"
    first = await sock.next(skip=("ping",))
    assert first["type"] == "badges" and first["data"]["probe"] == 0  # beside the docflow badges

    commits = 20
    for i in range(commits):
        await kit.emit(node.services, [me], "task.new", [{"n": i}])
    badges: list[dict[str, int]] = []
    while not badges or badges[-1]["probe"] < commits:
        frame = await sock.frame()
        if frame["type"] == "badges":
            badges.append(frame["data"])
    assert badges[-1]["probe"] == commits  # the last count equals a fresh count
    assert len(badges) < commits  # one recount per interval, not one per event


async def test_a_slow_client_is_dropped_without_delaying_a_fast_one_and_loses_nothing(nodes, kit):
    node = await nodes.start(kit.config(queue_limit=16, send_timeout_seconds=1, burst_limit=10_000))
    slow_id = await kit.person_id(node.services, "xsx.drafter")
    fast_id = await kit.person_id(node.services, "ddjd.registrar")
    slow_token = await kit.bearer(node, "xsx.drafter")
    # The slow client reads its ready frame, then stops reading: its TCP buffers fill and the server's send blocks.
    slow, _ = await kit.connected(node, token=slow_token, max_queue=1)
    fast, _ = await kit.connected(node, token=await kit.bearer(node, "ddjd.registrar"))

    bulky = "公文" * 20_000  # ~120 KB of UTF-8 per event: a few dozen fill any loopback buffer
    fast_seen: list[int] = []
    for round_ in range(12):
        await kit.emit(node.services, [slow_id], "bulky", [{"text": bulky, "n": n} for n in range(10)])
        await kit.emit(node.services, [fast_id], "task.new", [{"round": round_}])
        fast_seen.append((await fast.next())["id"])
    assert fast_seen == list(range(1, 13))  # the fast client got each event while the slow one was stuck

    for _ in range(100):
        if not node.hub.connections_of(slow_id):
            break
        await asyncio.sleep(0.1)
    assert node.hub.connections_of(slow_id) == 0 and node.hub.connections_of(fast_id) == 1

    # What the slow client did receive, plus a resume from its last id, is the whole stream.
    received: list[int] = []
    with contextlib.suppress(ConnectionClosed):  # the server cut the socket; what matters is what arrived before
        async for raw in slow.ws:
            frame = json.loads(raw)
            if "id" in frame and frame["type"] not in {"ready", "resync"}:
                received.append(frame["id"])
    assert received == list(range(1, len(received) + 1))
    again, _ = await kit.connected(node, token=slow_token, last_event_id=received[-1] if received else 0)
    rest = [f["id"] for f in await again.events(120 - len(received), timeout=20)]
    assert received + rest == list(range(1, 121))
