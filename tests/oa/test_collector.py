"""The serving process's collector policy: survivors are frozen out of later scans, frozen garbage is reclaimed by
the periodic full pass, and the collector is put back as it was when the app stops."""

from __future__ import annotations

import asyncio
import gc
import weakref

from oa.collector import CollectorPolicy, collector_policy
from oa.web.app import create_app


class Node:
    """Something that, once dropped, only the cyclic collector can reclaim (it refers to itself)."""

    def __init__(self) -> None:
        self.me = self


async def wait_for(predicate, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_survivors_are_frozen_and_the_full_pass_reclaims_frozen_garbage():
    assert gc.get_freeze_count() == 0
    async with collector_policy(CollectorPolicy(freeze_seconds=0.05, full_seconds=0.6)):
        node = Node()
        probe = weakref.ref(node)
        await asyncio.sleep(0.2)  # a few freezes while the node is alive
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()  # an ordinary full collection does not look at the frozen generation
        assert probe() is not None
        await wait_for(lambda: probe() is None)  # the periodic full pass does
    assert gc.get_freeze_count() == 0


async def test_an_inactive_policy_leaves_the_collector_alone():
    async with collector_policy(CollectorPolicy(freeze_seconds=0, full_seconds=3600)):
        await asyncio.sleep(0.05)
        assert gc.get_freeze_count() == 0
    async with collector_policy(None):
        assert gc.get_freeze_count() == 0


async def test_the_app_runs_the_policy_it_is_given_for_its_lifetime(settings):
    app = create_app(settings)
    app.state.collector_policy = CollectorPolicy(freeze_seconds=60, full_seconds=3600)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 0  # start-up freezes what it loaded
    assert gc.get_freeze_count() == 0
