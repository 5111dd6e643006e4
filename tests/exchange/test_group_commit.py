"""The group commit queue on its own: grouping, size limits, a failing group retried item by item, and a
request cancelled while queued."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from docflow.exchange.group_commit import GroupCommit


async def test_a_group_is_stored_in_one_call_and_a_failing_group_is_retried_one_by_one():
    calls: list[list[str]] = []

    async def store(items: Sequence[str]) -> list[str]:
        calls.append(list(items))
        if "bad" in items:
            raise ValueError("bad item")
        return [item.upper() for item in items]

    groups: GroupCommit[str, str] = GroupCommit()
    answers = await asyncio.gather(*(groups.submit(item, 1, store) for item in ["a", "b", "c"]))
    assert answers == ["A", "B", "C"] and calls == [["a", "b", "c"]]

    calls.clear()
    results = await asyncio.gather(*(groups.submit(item, 1, store) for item in ["d", "bad", "e"]),
                                   return_exceptions=True)
    assert results[0] == "D" and results[2] == "E" and isinstance(results[1], ValueError)
    assert calls == [["d", "bad", "e"], ["d"], ["bad"], ["e"]]


async def test_a_group_stops_growing_at_its_size_limits():
    calls: list[list[int]] = []

    async def store(items: Sequence[int]) -> list[int]:
        calls.append(list(items))
        return list(items)

    groups: GroupCommit[int, int] = GroupCommit(max_items=3, max_bytes=10)
    await asyncio.gather(*(groups.submit(n, 4, store) for n in range(7)))
    assert calls == [[0, 1], [2, 3], [4, 5], [6]]  # 4 + 4 bytes fit in 10, a third would not
    calls.clear()
    groups = GroupCommit(max_items=3, max_bytes=100)
    await asyncio.gather(*(groups.submit(n, 50, store) for n in range(2)), groups.submit(9, 500, store))
    assert calls == [[0, 1], [9]]  # an oversized message still goes, alone


@pytest.mark.parametrize("cancelled", [0, 1])
async def test_a_request_cancelled_while_queued_does_not_hold_up_the_others(cancelled: int):
    release = asyncio.Event()
    calls: list[list[str]] = []

    async def store(items: Sequence[str]) -> list[str]:
        calls.append(list(items))
        await release.wait()
        return list(items)

    groups: GroupCommit[str, str] = GroupCommit()
    first = asyncio.create_task(groups.submit("first", 1, store))
    await asyncio.sleep(0)  # the first group is now being stored
    queued = [asyncio.create_task(groups.submit(name, 1, store)) for name in ("x", "y")]
    await asyncio.sleep(0)
    queued[cancelled].cancel()
    release.set()
    assert await first == "first"
    kept = queued[1 - cancelled]
    assert await kept == ("x", "y")[1 - cancelled]
    assert calls == [["first"], [("x", "y")[1 - cancelled]]]
