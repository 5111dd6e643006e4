"""One WebSocket subscriber as the hub sees it: its person, how far its stream got, and a bounded outbox.

The hub fills the outbox synchronously (no awaiting, so one slow socket never delays the others); the socket's
own task drains it. A full outbox means the client cannot keep up: its frames are dropped at once (memory stays
bounded) and the connection is marked to close with 1013, after which the client resumes from its last id and
reads the rest from the database. Nothing is lost; the slow client just pays for its own slowness.
"""

from __future__ import annotations

import asyncio
from collections import deque

from oa.notify.coalesce import BurstCoalescer
from oa.notify.frames import StreamEvent

CLOSE_TRY_AGAIN = 1013  # RFC 6455 "Try Again Later": the server is shedding this client's load
CLOSE_UNAUTHENTICATED = 4401  # 4000-4999 are the application's own; 4401 mirrors HTTP 401
CLOSE_FORBIDDEN = 4403


class Connection:
    __slots__ = ("close_code", "close_reason", "coalescer", "cursor", "outbox", "person_id", "queue_limit",
                 "replaying", "session_id", "wake")

    def __init__(self, person_id: int, session_id: str | None, coalescer: BurstCoalescer, queue_limit: int) -> None:
        self.person_id = person_id
        self.session_id = session_id  # the sign-in session the socket lives on: cut when it ends
        # None until the backlog is read: the hub must not deliver before the resume point is known.
        self.cursor: int | None = None
        self.coalescer = coalescer
        self.queue_limit = queue_limit
        self.outbox: deque[str] = deque()
        self.wake = asyncio.Event()
        self.close_code: int | None = None
        self.close_reason = ""
        # While the socket replays its backlog page by page, live events wait in the database: letting the hub
        # hand them over would put them ahead of older ones. The socket asks for a re-read when the replay ends.
        self.replaying = False

    def begin_at(self, cursor: int, *, replaying: bool = False) -> None:
        self.cursor = cursor
        self.replaying = replaying

    def deliver(self, event: StreamEvent, now: float, *, replay: bool = False) -> None:
        """Queue one event of this person's stream; ones already handed over (or before the start) are ignored."""
        if self.cursor is None or event.seq <= self.cursor or self.close_code is not None:
            return
        if self.replaying and not replay:
            return
        self.cursor = event.seq
        self.enqueue(self.coalescer.offer(event, now))

    def enqueue(self, frames: list[str]) -> None:
        if not frames or self.close_code is not None:
            return
        if len(self.outbox) + len(frames) > self.queue_limit:
            self.outbox.clear()
            self.close(CLOSE_TRY_AGAIN, "推送积压过多，请稍后重连并从最后收到的编号续传")
            return
        self.outbox.extend(frames)
        self.wake.set()

    def close(self, code: int, reason: str) -> None:
        if self.close_code is None:
            self.close_code = code
            self.close_reason = reason
        self.wake.set()
