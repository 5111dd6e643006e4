"""Badge counts (待办, 待阅, 未签收): a registry of counters that other contexts fill in.

The notification context does not know what a task or a circulation is: each context registers one counter for
the badges it owns (`register_badges("docflow", ("todo", "overdue"), count)`). A counter answers for a batch of
people with a fixed number of statements, whatever the batch's size: after a distribution to hundreds of units,
the hub recounts everyone touched in one pass per interval instead of a dozen queries per person, which kept a
busy node's event loop saturated. The WebSocket sends the counts on connect and, coalesced, after a person's events.
With nothing registered the message is empty.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

# people → {person: {badge: count}}; a person or badge left out counts 0.
BadgeCounter = Callable[[AsyncSession, Sequence[int]], Awaitable[Mapping[int, Mapping[str, int]]]]

log = logging.getLogger("oa.notify.badges")

# People per counter call: keeps every statement's parameter list small on both databases.
BATCH = 500


@dataclass(frozen=True)
class _Registration:
    names: tuple[str, ...]
    counter: BadgeCounter


_counters: dict[str, _Registration] = {}


def register_badges(group: str, names: Collection[str], counter: BadgeCounter) -> None:
    """Register (or replace, so a reloaded module does not fail) the counter of badges `names` under `group`."""
    for name in names:
        if not name or not name.isidentifier():
            raise ValueError(f"a badge name must be a plain identifier such as 'todo', got {name!r}")
    taken = {n for g, r in _counters.items() if g != group for n in r.names} & set(names)
    if taken:
        raise ValueError(f"badges {sorted(taken)} are already counted by another group")
    _counters[group] = _Registration(tuple(sorted(names)), counter)


def unregister_badges(group: str) -> None:
    _counters.pop(group, None)


def badge_names() -> list[str]:
    return sorted(n for r in _counters.values() for n in r.names)


def has_badge_providers() -> bool:
    return bool(_counters)


async def count_badges_for(session: AsyncSession, person_ids: Collection[int]) -> dict[int, dict[str, int]]:
    """Every registered count for each of these people. A failing counter is logged and its badges left out, not
    fatal to the others."""
    people = sorted(set(person_ids))
    counts: dict[int, dict[str, int]] = {pid: {} for pid in people}
    for group, registration in sorted(_counters.items()):
        try:
            for start in range(0, len(people), BATCH):
                batch = people[start:start + BATCH]
                found = await registration.counter(session, batch)
                for pid in batch:
                    mine = found.get(pid, {})
                    counts[pid].update((name, int(mine.get(name, 0))) for name in registration.names)
        except Exception:
            log.exception("badge counter %r failed for %d people", group, len(people))
            await session.rollback()  # a failed statement aborts a PostgreSQL transaction; start the next afresh
            for pid in people:
                for name in registration.names:
                    counts[pid].pop(name, None)
    return counts


async def count_badges(session: AsyncSession, person_id: int) -> dict[str, int]:
    return (await count_badges_for(session, [person_id]))[person_id]
