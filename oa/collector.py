"""How a serving process runs Python's cyclic garbage collector.

A node holding thousands of WebSocket connections keeps about two hundred tracked objects per socket alive for as
long as the socket is open. Left to itself, the collector now and then walks all of them in one full collection:
at 10,000 sockets that is about two million objects and a pause of a second or more, during which no event reaches
anyone. So a serving process (`oa serve`) moves what has survived into the permanent generation at a steady
interval (`gc.freeze()`, after a cheap young collection), and only what is newer than that is ever scanned. Cyclic
garbage caught in a freeze is kept until the rarer full pass (`gc.unfreeze()` and one full collection), which is
the only long pause left, once per `OA_GC_FULL_SECONDS`. Tests and tools that build the app in process leave the
collector alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

log = logging.getLogger("oa.collector")


@dataclass(frozen=True)
class CollectorPolicy:
    freeze_seconds: float  # 0 leaves Python's collector as it is
    full_seconds: float

    @property
    def active(self) -> bool:
        return self.freeze_seconds > 0


def freeze_survivors() -> None:
    gc.collect(1)  # the young generations only: cheap, and it keeps fresh garbage out of the frozen set
    gc.freeze()


def full_pass() -> tuple[int, float]:
    """Reclaim everything, frozen garbage included; return (objects collected, seconds paused)."""
    started = time.perf_counter()
    gc.unfreeze()
    collected = gc.collect()
    gc.freeze()
    return collected, time.perf_counter() - started


async def run_policy(policy: CollectorPolicy) -> None:
    next_full = time.monotonic() + policy.full_seconds
    while True:
        await asyncio.sleep(policy.freeze_seconds)
        if time.monotonic() >= next_full:
            collected, paused = full_pass()
            next_full = time.monotonic() + policy.full_seconds
            log.info("full garbage collection: %d objects reclaimed in %.0f ms", collected, paused * 1000)
        else:
            freeze_survivors()


@contextlib.asynccontextmanager
async def collector_policy(policy: CollectorPolicy | None) -> AsyncIterator[None]:
    """Run `policy` for the lifetime of the block (nothing when None or inactive); put the collector back after."""
    if policy is None or not policy.active:
        yield
        return
    freeze_survivors()  # what start-up loaded (modules, the app, its caches) is never scanned again
    task = asyncio.create_task(run_policy(policy), name="gc-policy")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        gc.unfreeze()
