"""The event bus for several app nodes on one PostgreSQL: LISTEN/NOTIFY on a dedicated asyncpg connection.

What travels is recipient ids only (`<node>|12,40,41` or `<node>|*` for "re-read everyone you have"); every node
reads the events themselves from the database, so a NOTIFY lost to a dropped connection only delays delivery until
the hub's periodic catch-up. Three rules protect throughput and correctness:

- NOTIFY is issued after the commit, outside any write transaction, on this bus's own connection: a NOTIFY inside
  a transaction takes a cluster-wide lock at commit and serialises every writer of the cluster.
- Publishes are batched: a flusher task sends whatever accumulated since its last round in one NOTIFY per chunk,
  each chunk under PostgreSQL's 8000-byte payload limit; a wake-up too large to list becomes `*`. Rounds are at
  least `ROUND_SECONDS` apart: after a quiet spell a wake-up goes at once, and under load a round carries the
  commits of that interval (at 400 actions a second, about four), which saves each node a NOTIFY to send and an
  echo to receive per commit. The other nodes then hear of a change at most that much later; this node's own
  listeners always at once.
- The connection is not from the SQLAlchemy pool (a LISTEN must stay on one session for the bus's lifetime) and is
  re-opened after a loss; on reconnect the local listeners are told to re-read everyone, since wake-ups sent while
  the connection was down were never seen.

The publishing node calls its own listeners directly (no round trip) and ignores the echo of its own NOTIFY.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Collection
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs shipped; pyproject is the lead's to extend

from oa.notify.bus import EVERYONE, Listener

log = logging.getLogger("oa.notify.pg_bus")

CHANNEL = "oa_notify"
MAX_PAYLOAD = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; keep a margin for the node prefix
MAX_CHUNKS = 8  # beyond this many NOTIFYs for one round, a single "*" is cheaper for everyone
ROUND_SECONDS = 0.01  # the least time between two rounds of NOTIFYs


def encode_wakeups(node: str, recipient_ids: Collection[int], *, limit: int = MAX_PAYLOAD) -> list[str]:
    """Payloads for one round of wake-ups, each under `limit` bytes. Pure; used by `publish` and its tests."""
    prefix = f"{node}|"
    chunks: list[str] = []
    current: list[str] = []
    size = len(prefix)
    for pid in sorted(recipient_ids):
        text = str(pid)
        if current and size + 1 + len(text) > limit:
            chunks.append(prefix + ",".join(current))
            current, size = [], len(prefix)
        current.append(text)
        size += len(text) + (1 if len(current) > 1 else 0)
    if current:
        chunks.append(prefix + ",".join(current))
    if len(chunks) > MAX_CHUNKS:
        return [prefix + "*"]
    return chunks


def decode_wakeup(payload: str) -> tuple[str, Collection[int]] | None:
    """(sender node, recipients or EVERYONE); None for a payload that is not ours."""
    node, sep, body = payload.partition("|")
    if not sep:
        return None
    if body == "*":
        return node, EVERYONE
    try:
        return node, frozenset(int(part) for part in body.split(",") if part)
    except ValueError:
        return None


class PgEventBus:
    def __init__(self, dsn: str, *, reconnect_seconds: float = 1.0) -> None:
        self._dsn = dsn.replace("postgresql+asyncpg://", "postgresql://", 1)
        self._node = uuid.uuid4().hex[:12]  # one per process: tells our own NOTIFY echo from other nodes'
        self._reconnect_seconds = reconnect_seconds
        self._listeners: list[Listener] = []
        self._conn: asyncpg.Connection | None = None
        self._lost: asyncio.Event | None = None
        self._outgoing: set[int] = set()
        self._outgoing_ready: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.reconnects = 0

    # -- EventBus --------------------------------------------------------------------------------------------

    async def publish(self, recipient_ids: Collection[int]) -> None:
        if not recipient_ids:
            return
        self._call_listeners(recipient_ids)
        if self._outgoing_ready is not None:  # not started: only this process's listeners (none, usually) hear it
            self._outgoing.update(recipient_ids)
            self._outgoing_ready.set()

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # -- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._tasks:
            return
        self._outgoing_ready = asyncio.Event()
        self._lost = asyncio.Event()
        await self._connect()  # fail fast at startup if the database is unreachable
        self._tasks = [asyncio.create_task(self._keep_connected(), name="pg-bus-listen"),
                       asyncio.create_task(self._flush_loop(), name="pg-bus-notify")]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self._outgoing_ready = None
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close(timeout=2)
            except Exception:  # a dead or stuck connection: drop its socket rather than leak it
                conn.terminate()

    @property
    def connection(self) -> asyncpg.Connection | None:
        """The listening connection (tests terminate its backend to prove the bus reconnects)."""
        return self._conn

    # -- internals -------------------------------------------------------------------------------------------

    def _call_listeners(self, recipient_ids: Collection[int]) -> None:
        for listener in list(self._listeners):
            try:
                listener(recipient_ids)
            except Exception:
                log.exception("a notification listener failed")

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        decoded = decode_wakeup(payload)
        if decoded is None or decoded[0] == self._node:
            return
        self._call_listeners(decoded[1])

    def _on_terminate(self, _conn: Any) -> None:
        if self._lost is not None:
            self._lost.set()

    async def _connect(self) -> None:
        conn = await asyncpg.connect(self._dsn, timeout=10)
        conn.add_termination_listener(self._on_terminate)
        await conn.add_listener(CHANNEL, self._on_notify)
        self._conn = conn
        assert self._lost is not None
        self._lost.clear()

    async def _keep_connected(self) -> None:
        assert self._lost is not None
        while True:
            await self._lost.wait()
            log.warning("notification bus lost its PostgreSQL connection; reconnecting")
            old, self._conn = self._conn, None
            if old is not None:
                old.terminate()
            while self._conn is None:
                try:
                    await self._connect()
                except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                    log.warning("notification bus cannot reconnect yet: %s", exc)
                    await asyncio.sleep(self._reconnect_seconds)
            self.reconnects += 1
            # Wake-ups published by other nodes while we were away were never heard: re-read everyone here.
            self._call_listeners(EVERYONE)

    async def _flush_loop(self) -> None:
        assert self._outgoing_ready is not None
        ready = self._outgoing_ready
        last_round = 0.0
        while True:
            await ready.wait()
            loop = asyncio.get_running_loop()
            if (wait := last_round + ROUND_SECONDS - loop.time()) > 0:
                await asyncio.sleep(wait)  # the commits of the rest of the interval ride along
            last_round = loop.time()
            ready.clear()
            batch, self._outgoing = self._outgoing, set()
            conn = self._conn
            if conn is None or conn.is_closed():
                continue  # the other nodes' catch-up will find these events
            try:
                for payload in encode_wakeups(self._node, batch):
                    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("could not send a wake-up to the other nodes (their catch-up will): %s", exc)
                if self._lost is not None:
                    self._lost.set()
