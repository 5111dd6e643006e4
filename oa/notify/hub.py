"""The node's notification hub: which people are connected here, and waking their streams.

The bus tells the hub whose streams have new events (ids only). One reader task batches the pending people, reads
their new events in a few statements and hands each event to that person's connections, synchronously: a fan-out
of one event to thousands costs one read and a loop, never one query or one awaited send per socket. Around it:
a periodic catch-up asks the database which connected streams are past what this node handed over and reads
those (a missed wake-up delays an event, never loses it), badge counts are recomputed at most once per interval
per person, and old events are pruned.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oa.database import utcnow
from oa.notify import service
from oa.notify.badges import count_badges_for, has_badge_providers
from oa.notify.bus import EventBus, Everyone, RunnableBus
from oa.notify.coalesce import BurstCoalescer
from oa.notify.connection import CLOSE_UNAUTHENTICATED, Connection
from oa.notify.frames import StreamEvent, badges_frame, event_tail

log = logging.getLogger("oa.notify.hub")

# Given sign-in session ids, the ones that ended (signed out, expired, person deactivated). Supplied by the web
# layer, which knows the auth context; the hub only knows that sockets live on sessions.
EndedSessions = Callable[[AsyncSession, Collection[str]], Awaitable[set[str]]]


@dataclass(frozen=True)
class NotifyConfig:
    """Delivery tuning. The defaults suit production; tests shorten the intervals."""

    ping_seconds: float = 20.0  # application-level {"type":"ping"}; proxies drop idle sockets after ~60 s
    recheck_seconds: float = 30.0  # how long a signed-out session can keep its socket, at most
    send_timeout_seconds: float = 10.0  # sending what is queued takes this long (full TCP buffer): closed with 1013
    queue_limit: int = 256  # frames waiting per connection; beyond it the client is closed with 1013
    max_backlog: int = 1000  # missed events replayed on resume; more than that is a resync
    burst_limit: int = 5  # events of one type sent one by one within a window before they are summarised
    burst_window_seconds: float = 2.0
    badge_interval_seconds: float = 1.0
    catchup_seconds: float = 5.0  # how long a lost wake-up can delay an event, at most
    retention_days: int = 30
    prune_every_seconds: float = 3600.0

    def coalescer(self) -> BurstCoalescer:
        return BurstCoalescer(self.burst_limit, self.burst_window_seconds)


class Hub:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], bus: EventBus, config: NotifyConfig,
                 ended_sessions: EndedSessions | None = None) -> None:
        self.sessions = sessions
        self.bus = bus
        self.config = config
        self.ended_sessions = ended_sessions
        self._by_person: dict[int, set[Connection]] = defaultdict(set)
        self._pending: set[int] = set()
        self._badges_due: set[int] = set()
        self._signal = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    # -- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        self.bus.add_listener(self.on_wake)
        if isinstance(self.bus, RunnableBus):
            await self.bus.start()
        self._spawn(self._read_loop(), "notify-reader")
        self._spawn(self._every(self.config.catchup_seconds, self._catch_up), "notify-catchup")
        self._spawn(self._every(self.config.badge_interval_seconds, self._send_badges), "notify-badges")
        self._spawn(self._every(self.config.prune_every_seconds, self._prune), "notify-prune")
        self._spawn(self._every(self.config.recheck_seconds, self._recheck_sessions), "notify-sessions")

    async def stop(self) -> None:
        self.bus.remove_listener(self.on_wake)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if isinstance(self.bus, RunnableBus):
            await self.bus.close()

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        self._tasks.append(asyncio.create_task(coro, name=name))

    # -- connections -----------------------------------------------------------------------------------------

    def connect(self, person_id: int, session_id: str | None = None) -> Connection:
        conn = Connection(person_id, session_id, self.config.coalescer(), self.config.queue_limit)
        self._by_person[person_id].add(conn)
        return conn

    def disconnect(self, conn: Connection) -> None:
        conns = self._by_person.get(conn.person_id)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self._by_person[conn.person_id]

    @property
    def connection_count(self) -> int:
        return sum(len(c) for c in self._by_person.values())

    def connections_of(self, person_id: int) -> int:
        return len(self._by_person.get(person_id, ()))

    def request_read(self, person_id: int) -> None:
        """Re-read a person's stream soon (after a connection set its resume point, or on catch-up)."""
        self._pending.add(person_id)
        self._signal.set()

    def on_wake(self, recipient_ids: Collection[int]) -> None:
        """Bus listener: called in the event loop with the people whose streams moved (or `EVERYONE`)."""
        if isinstance(recipient_ids, Everyone):
            self._pending.update(self._by_person)
        else:
            self._pending.update(pid for pid in recipient_ids if pid in self._by_person)
        if self._pending:
            self._signal.set()

    # -- reading and dispatching -----------------------------------------------------------------------------

    async def _read_loop(self) -> None:
        while True:
            await self._signal.wait()
            self._signal.clear()
            people, self._pending = self._pending, set()
            try:
                await self.read_and_dispatch(people)
            except Exception:
                # The database blinked: keep the people pending, the catch-up will retry; never kill the loop.
                log.exception("reading notification streams failed; retrying on the next catch-up")
                self._pending |= people
                await asyncio.sleep(min(1.0, self.config.catchup_seconds))

    def _handed_over(self, people: Collection[int]) -> dict[int, int]:
        """How far each person's stream has been handed to all of their sockets here (the least of their
        cursors); people with no socket past its resume point are left out."""
        cursors: dict[int, int] = {}
        for pid in people:
            started = [c.cursor for c in self._by_person.get(pid, ()) if c.cursor is not None]
            if started:
                cursors[pid] = min(started)
        return cursors

    async def read_and_dispatch(self, people: Collection[int]) -> None:
        cursors = self._handed_over(people)
        if not cursors:
            return
        per_person = self.config.queue_limit
        async with self.sessions() as session:
            rows = await service.events_after_many(session, cursors, per_person)
        events: dict[int, list[StreamEvent]] = defaultdict(list)
        tails: dict[tuple[str, str, datetime], str] = {}  # one event to many people is encoded once
        for row in rows:
            key = (row.type, row.payload_json, row.created_at)
            tail = tails.get(key)
            if tail is None:
                tail = tails[key] = event_tail(*key)
            events[row.recipient_id].append(StreamEvent(row.seq, row.type, row.created_at, tail))
        now = asyncio.get_running_loop().time()
        for pid, mine in events.items():
            for conn in list(self._by_person.get(pid, ())):
                for event in mine:
                    conn.deliver(event, now)
            if len(mine) >= per_person:
                self.request_read(pid)  # a long burst: read the next page on the next round
        if has_badge_providers():
            self._badges_due.update(events)

    # -- periodic work ---------------------------------------------------------------------------------------

    async def _every(self, seconds: float, job: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:
                log.exception("periodic notification job %s failed", getattr(job, "__name__", job))

    async def _catch_up(self) -> None:
        """Read the streams that moved past what this node handed over without a wake-up reaching it.

        One question for every connected person, whatever their number, answered with the few who are behind: the
        periodic cost does not grow with a recent distribution, and an event whose long transaction stamped it
        minutes ago is found like any other.
        """
        cursors = self._handed_over(self._by_person)
        if not cursors:
            return
        async with self.sessions() as session:
            behind = await service.streams_behind(session, cursors)
        self.on_wake(behind)

    async def _send_badges(self) -> None:
        people = [pid for pid in self._badges_due if pid in self._by_person]
        self._badges_due.clear()
        if not people:
            return
        async with self.sessions() as session:
            counts = await count_badges_for(session, people)
        for pid, badge_counts in counts.items():
            frame = badges_frame(badge_counts)
            for conn in list(self._by_person.get(pid, ())):
                conn.enqueue([frame])

    async def _recheck_sessions(self) -> None:
        """Cut the sockets of ended sessions: one query per 1,000 sessions, not one per socket and interval."""
        if self.ended_sessions is None:
            return
        by_session: dict[str, list[Connection]] = defaultdict(list)
        for conns in self._by_person.values():
            for conn in conns:
                if conn.session_id is not None:
                    by_session[conn.session_id].append(conn)
        ids = sorted(by_session)
        for start in range(0, len(ids), 1000):
            async with self.sessions() as session:
                ended = await self.ended_sessions(session, ids[start:start + 1000])
            for session_id in ended:
                for conn in by_session[session_id]:
                    conn.close(CLOSE_UNAUTHENTICATED, "已退出登录或登录已失效，请重新登录")

    async def _prune(self) -> None:
        await prune_old_events(self.sessions, self.config.retention_days)


async def prune_old_events(sessions: async_sessionmaker[AsyncSession], retention_days: int) -> int:
    before = utcnow() - timedelta(days=retention_days)
    async with sessions() as session, session.begin():
        removed = await service.prune_events(session, before)
    if removed:
        log.info("pruned %d notification events older than %s", removed, before.isoformat())
    return removed
