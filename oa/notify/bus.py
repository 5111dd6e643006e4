"""Waking the WebSocket streams after commit.

The bus carries recipient ids only, never event content: a woken stream reads its recipient's new events from the
database, so a lost wake-up delays an event but never loses it. `LocalEventBus` serves one process (SQLite); the
PostgreSQL bus (LISTEN/NOTIFY) implements the same protocol for several app nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Protocol, runtime_checkable

Listener = Callable[[Collection[int]], None]


class Everyone(frozenset[int]):
    """The recipients "everyone connected here": a wake-up too large to list (the listener re-reads all streams)."""


EVERYONE = Everyone()


class EventBus(Protocol):
    async def publish(self, recipient_ids: Collection[int]) -> None: ...

    def add_listener(self, listener: Listener) -> None: ...

    def remove_listener(self, listener: Listener) -> None: ...


@runtime_checkable
class RunnableBus(Protocol):
    """A bus with a connection of its own, started and stopped by the app's lifespan."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class LocalEventBus:
    """In-process fan-out to the listeners of this node."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    async def publish(self, recipient_ids: Collection[int]) -> None:
        if recipient_ids:
            for listener in list(self._listeners):
                listener(recipient_ids)

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)
