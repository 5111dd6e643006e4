"""Several app nodes on one PostgreSQL: a change handled by node A reaches a person connected to node B."""

from __future__ import annotations

import asyncpg
import pytest

from oa.notify.pg_bus import PgEventBus
from oa.services import Services

pytestmark = pytest.mark.postgres_only


@pytest.fixture
async def second_services(demo, nodes):
    other = Services.create(demo.settings)  # its own engine, pool and bus: another process, as far as PG can tell
    yield other
    await nodes.stop_using(other)  # torn down before `nodes`: its node must stop before its services close
    await other.close()


async def test_an_action_on_node_a_reaches_a_client_on_node_b(db_kind, nodes, kit, second_services):
    node_a = await nodes.start(kit.config(catchup_seconds=60))  # a long catch-up: only NOTIFY can be the path
    node_b = await nodes.start(kit.config(catchup_seconds=60), services=second_services)
    assert isinstance(node_a.services.bus, PgEventBus) and isinstance(node_b.services.bus, PgEventBus)
    me = await kit.person_id(node_a.services, "xsx.drafter")
    token = await kit.bearer(node_a, "xsx.drafter")  # signed in on A, connected to B: one session for the cluster
    on_b, _ = await kit.connected(node_b, token=token)
    on_a, _ = await kit.connected(node_a, token=token)

    await kit.emit(node_a.services, [me], "task.new", [{"via": "A"}])
    await kit.emit(node_b.services, [me], "task.new", [{"via": "B"}])

    for sock in (on_a, on_b):
        assert [(e["id"], e["data"]["via"]) for e in await sock.events(2)] == [(1, "A"), (2, "B")]
        assert await sock.silent_for(0.3)


async def test_node_b_reconnects_its_bus_and_still_delivers_after_losing_the_connection(db_kind, nodes, kit,
                                                                                         second_services):
    node_a = await nodes.start(kit.config(catchup_seconds=60))
    node_b = await nodes.start(kit.config(catchup_seconds=60), services=second_services)
    me = await kit.person_id(node_a.services, "xsx.drafter")
    on_b, _ = await kit.connected(node_b, token=await kit.bearer(node_a, "xsx.drafter"))
    bus_b = node_b.services.bus
    assert isinstance(bus_b, PgEventBus) and bus_b.connection is not None

    # An administrator (or a failover) kills B's listening session while an event is committed on A.
    admin = await asyncpg.connect(node_a.services.settings.database_url.replace("+asyncpg", ""))
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", bus_b.connection.get_server_pid())
    finally:
        await admin.close()
    await kit.emit(node_a.services, [me], "task.new", [{"during": "outage"}])

    event = await on_b.next(timeout=15)
    assert (event["id"], event["data"]) == (1, {"during": "outage"})
    assert bus_b.reconnects >= 1
    await kit.emit(node_a.services, [me], "task.new", [{"after": "reconnect"}])
    assert (await on_b.next())["id"] == 2


async def test_a_huge_wake_up_is_sent_as_wake_everyone(db_kind, nodes, kit, second_services):
    node_a = await nodes.start(kit.config(catchup_seconds=60))
    node_b = await nodes.start(kit.config(catchup_seconds=60), services=second_services)
    me = await kit.person_id(node_a.services, "xsx.drafter")
    on_b, _ = await kit.connected(node_b, token=await kit.bearer(node_a, "xsx.drafter"))
    # 20,000 recipient ids do not fit in a few 8000-byte payloads: node A sends "*" and B re-reads everyone it has.
    await node_a.services.bus.publish(set(range(10**6, 10**6 + 20_000)))
    await kit.emit(node_a.services, [me], "task.new", [{"n": 1}])
    assert (await on_b.next())["id"] == 1


async def test_wake_ups_of_a_busy_spell_travel_together_and_a_quiet_ones_at_once(demo):
    """A node sends at most one round of NOTIFYs per ROUND_SECONDS: under load the other nodes get one NOTIFY for
    the commits of each interval instead of one per commit, and after a quiet spell a wake-up is not held back."""
    import asyncio

    from oa.notify.pg_bus import ROUND_SECONDS

    sender, receiver = PgEventBus(demo.settings.database_url), PgEventBus(demo.settings.database_url)
    heard: list[set[int]] = []
    receiver.add_listener(lambda ids: heard.append(set(ids)))
    await sender.start()
    await receiver.start()
    loop = asyncio.get_running_loop()

    async def until_heard(count: int) -> None:
        for _ in range(500):
            if sum(len(ids) for ids in heard) >= count:
                return
            await asyncio.sleep(0.01)

    try:
        await sender.publish({1})  # after a quiet spell: a round of its own
        await until_heard(1)
        assert heard == [{1}]
        heard.clear()
        started = loop.time()
        for recipient in range(100, 150):  # a busy spell: 50 commits about a millisecond apart
            await sender.publish({recipient})
            await asyncio.sleep(0.001)
        spell = loop.time() - started
        await until_heard(50)
        await asyncio.sleep(0.1)
        assert set().union(*heard) == set(range(100, 150))  # nobody left out
        assert len(heard) <= spell / ROUND_SECONDS + 2  # one round per interval, not one per commit
    finally:
        await sender.close()
        await receiver.close()
