"""The outbox's HTTP client: never more deliveries in flight than its concurrency, spread over small pools."""

from __future__ import annotations

import asyncio

import httpx

from docflow.distribution.http_lanes import LANE_CONNECTIONS, HttpLanes


async def test_lanes_keep_at_most_the_configured_number_of_posts_in_flight_over_small_pools():
    in_flight, peak = 0, 0
    gate = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await gate.wait()
        in_flight -= 1
        return httpx.Response(200, content=request.content)

    lanes = HttpLanes(5, 5.0, transport=httpx.MockTransport(handler))
    assert LANE_CONNECTIONS == 2 and lanes.lanes == 3  # 5 slots: lane 0 takes slots 0-1, lane 1 2-3, lane 2 4
    try:
        posts = [asyncio.create_task(lanes.post("http://node-b/x", content=str(n).encode(), headers={}))
                 for n in range(20)]
        await asyncio.sleep(0.05)
        assert peak == 5
        gate.set()
        answers = await asyncio.gather(*posts)
    finally:
        await lanes.aclose()
    assert sorted(int(a.content) for a in answers) == list(range(20)) and peak == 5


async def test_a_client_given_by_the_caller_carries_every_post_and_stays_open():
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(204)))
    lanes = HttpLanes(3, 5.0, client)
    assert lanes.lanes == 1
    assert (await lanes.post("http://node-b/x", content=b"", headers={})).status_code == 204
    await lanes.aclose()
    assert not client.is_closed
    await client.aclose()
