"""Folding a burst of one person's events into a summary, so a flood reaches the screen as one line.

Rule: at most `limit` events of one type are sent one by one within `window` seconds. The next one starts a hold:
for `window` seconds everything for this connection is held (all types, so ids stay in order); then the held
events are sent — types with more than `limit` held as counts in one `summary` frame, the others one by one before
it (or after it, for events newer than the last folded one). The summary covers `first_id..last_id` and its `id` is
`last_id`: every id up to it was sent or counted, so a client that resumes after it misses nothing. A burst that
goes on produces one summary per window. Pure code: the caller passes the clock.
"""

from __future__ import annotations

from collections import deque

from oa.notify.frames import StreamEvent, event_frame, summary_frame


class BurstCoalescer:
    # Slots and lazily created containers: an idle connection holds a few empty attributes, nothing more.
    __slots__ = ("_first", "_held", "_held_counts", "_held_last", "_hold_until", "_last", "_recent", "limit", "window")

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a burst needs limit >= 1 and a positive window")
        self.limit = limit
        self.window = window
        self._recent: dict[str, deque[float]] | None = None
        self._held: list[StreamEvent] = []
        self._held_counts: dict[str, int] = {}
        self._held_last: dict[str, StreamEvent] = {}
        self._hold_until: float | None = None
        self._first: StreamEvent | None = None
        self._last: StreamEvent | None = None

    @property
    def deadline(self) -> float | None:
        """When `flush_due` next has something to send (None: nothing is held)."""
        return self._hold_until

    @property
    def holding(self) -> bool:
        return self._hold_until is not None

    def offer(self, event: StreamEvent, now: float) -> list[str]:
        """The frames to send now for this event (none while a burst is being held)."""
        if self._hold_until is None:
            if self._recent is None:
                self._recent = {}
            recent = self._recent.setdefault(event.type, deque(maxlen=self.limit))
            while recent and recent[0] <= now - self.window:
                recent.popleft()
            if len(recent) < self.limit:
                recent.append(now)
                return [event_frame(event)]
            self._hold_until = now + self.window
        self._hold(event)
        return []

    def flush_due(self, now: float) -> list[str]:
        if self._hold_until is None or now < self._hold_until:
            return []
        return self.flush(now)

    def flush(self, now: float) -> list[str]:
        """Send whatever is held, whether or not the window has passed (used before closing)."""
        if self._first is None or self._last is None:
            self._hold_until = None
            return []
        folded = {t: n for t, n in self._held_counts.items() if n > self.limit}
        if folded:
            # The summary takes the id of the last folded event and sits between the individual events before
            # and after it, so ids strictly grow: a client that ignores ids it has seen drops nothing.
            last_folded = max((self._held_last[t] for t in folded), key=lambda e: e.seq)
            frames = [event_frame(e) for e in self._held if e.seq < last_folded.seq]
            frames.append(summary_frame(folded, self._first.seq, last_folded.seq, last_folded.at))
            frames += [event_frame(e) for e in self._held if e.seq > last_folded.seq]
            # The burst is still on: the next event of a folded type is held again at once, one summary a window.
            if self._recent is not None:
                for type_ in folded:
                    self._recent[type_] = deque([now] * self.limit, maxlen=self.limit)
        else:
            frames = [event_frame(e) for e in self._held]
        self._held = []
        self._held_counts = {}
        self._held_last = {}
        self._hold_until = None
        self._first = self._last = None
        return frames

    def _hold(self, event: StreamEvent) -> None:
        if self._first is None:
            self._first = event
        self._last = event
        count = self._held_counts.get(event.type, 0) + 1
        self._held_counts[event.type] = count
        self._held_last[event.type] = event
        if count <= self.limit:
            self._held.append(event)
        elif count == self.limit + 1:
            # This type will be folded into counts: drop its held copies so a long burst holds no memory.
            self._held = [e for e in self._held if e.type != event.type]
