"""Group commit: messages that arrive while a transaction is running are stored together in the next one.

Every stored 公文 ends its transaction on the same serialisation point (the audit chain's head on PostgreSQL,
the database's write lock on SQLite), and most of a transaction's cost is per statement, not per row. So this
app instance runs one inbox transaction at a time and hands it every message that queued up meanwhile: under
load one transaction stores tens of messages with the statements it would have spent on one, and a lone
message waits for nothing (it finds the queue empty and goes at once). Nothing here is shared between app
instances — it only queues this process's in-flight requests; exactly-once still rests on the database's
unique (sender node, message id).

If a group's transaction fails, each of its messages is stored again on its own, so a message gets exactly the
answer or the refusal it would have had without grouping, whatever its neighbours carried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")

MAX_GROUP_MESSAGES = 64
MAX_GROUP_BYTES = 8 * 1024 * 1024
"""A group stops growing at this many messages or bytes of bodies (at least one message always goes)."""


@dataclass
class _Waiting(Generic[Item, Answer]):
    item: Item
    size: int
    store: Callable[[Sequence[Item]], Awaitable[Sequence[Answer]]]
    future: asyncio.Future[Answer]


@dataclass
class GroupCommit(Generic[Item, Answer]):
    """A queue of items drained by one task per event loop, a group per transaction; see the module docstring."""

    max_items: int = MAX_GROUP_MESSAGES
    max_bytes: int = MAX_GROUP_BYTES
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)
    _drainer: asyncio.Task[None] | None = field(default=None, init=False, repr=False)
    _queue: list[_Waiting[Item, Answer]] = field(default_factory=list, init=False, repr=False)

    async def submit(self, item: Item, size: int,
                     store: Callable[[Sequence[Item]], Awaitable[Sequence[Answer]]]) -> Answer:
        """Store `item` (its body `size` bytes) with whatever else is queued; return its own answer or raise
        its own error. `store` stores a group in one transaction and answers in the group's order."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a task and futures belong to one loop (tests run several in turn)
            self._loop, self._drainer, self._queue = loop, None, []
        waiting: _Waiting[Item, Answer] = _Waiting(item, size, store, loop.create_future())
        self._queue.append(waiting)
        if self._drainer is None or self._drainer.done():
            # A task of its own, not the first request's: no request waits longer than its own group takes, and
            # a request cancelled meanwhile (its client gone) cancels nobody else's transaction.
            self._drainer = loop.create_task(self._drain(), name="inbox-group-commit")
        return await waiting.future

    async def _drain(self) -> None:
        while self._queue:
            group = self._take()
            if group:
                await _settle(group)

    def _take(self) -> list[_Waiting[Item, Answer]]:
        group: list[_Waiting[Item, Answer]] = []
        size = 0
        while self._queue and len(group) < self.max_items:
            waiting = self._queue[0]
            if group and size + waiting.size > self.max_bytes:
                break
            self._queue.pop(0)
            if waiting.future.done():  # its request was cancelled while queued
                continue
            group.append(waiting)
            size += waiting.size
        return group


async def _settle(group: list[_Waiting[Item, Answer]]) -> None:
    store = group[0].store
    try:
        try:
            answers = await store([waiting.item for waiting in group])
        except Exception as exc:
            if len(group) == 1:
                _fail(group[0], exc)
                return
            # One message's problem must not become its neighbours': each alone, as without grouping.
            for waiting in group:
                try:
                    (answer,) = await store([waiting.item])
                except Exception as single_exc:
                    _fail(waiting, single_exc)
                else:
                    _answer(waiting, answer)
            return
        for waiting, answer in zip(group, answers, strict=True):
            _answer(waiting, answer)
    finally:
        for waiting in group:  # only if the store itself was cancelled: never leave a request hanging
            if not waiting.future.done():
                waiting.future.cancel()


def _answer(waiting: _Waiting[Item, Answer], answer: Answer) -> None:
    if not waiting.future.done():
        waiting.future.set_result(answer)


def _fail(waiting: _Waiting[Item, Answer], exc: Exception) -> None:
    if not waiting.future.done():
        waiting.future.set_exception(exc)
