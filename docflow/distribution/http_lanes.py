"""The outbox's HTTP client: its concurrent deliveries spread over several small connection pools.

httpx (httpcore 1.0) re-scans every connection of its pool for every queued request each time a request starts
or ends, so a client's CPU per request grows with the square of its pool: on the 2-core development machine, for
the same 32 POSTs in flight, one client with 32 connections spends ~3 ms of CPU per POST, 8 clients of 4
connections ~0.9 ms, 16 clients of 2 ~0.7 ms, 32 clients of 1 ~0.65 ms. Each delivery takes a free slot; slot n
always uses lane n // LANE_CONNECTIONS, so no lane ever has more requests than connections and nothing queues
inside httpcore. Two connections per lane rather than one: a lane that alternates between two peer nodes keeps
a connection to each instead of reconnecting.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping

import httpx

LANE_CONNECTIONS = 2


class HttpLanes:
    """`concurrency` POSTs at a time, over ceil(concurrency / LANE_CONNECTIONS) httpx clients (or over one
    client the caller owns, e.g. a test's)."""

    def __init__(self, concurrency: int, timeout: float, client: httpx.AsyncClient | None = None, *,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        if client is not None:
            self._clients, self._lane_size, self._owned = [client], concurrency, False
        else:
            lanes = math.ceil(concurrency / LANE_CONNECTIONS)
            # One TLS context for every lane: building one loads the CA bundle (~18 ms of CPU each).
            tls = httpx.create_ssl_context()
            self._clients = [httpx.AsyncClient(timeout=timeout, transport=transport, verify=tls,
                                               limits=httpx.Limits(max_connections=LANE_CONNECTIONS))
                             for _ in range(lanes)]
            self._lane_size, self._owned = LANE_CONNECTIONS, True
        self.lanes = len(self._clients)
        self._slots: asyncio.Queue[int] = asyncio.Queue()
        for slot in range(concurrency):
            self._slots.put_nowait(slot)

    async def post(self, url: str, *, content: bytes, headers: Mapping[str, str]) -> httpx.Response:
        slot = await self._slots.get()
        try:
            return await self._clients[slot // self._lane_size].post(url, content=content, headers=headers)
        finally:
            self._slots.put_nowait(slot)

    async def aclose(self) -> None:
        if self._owned:
            for client in self._clients:
                await client.aclose()
