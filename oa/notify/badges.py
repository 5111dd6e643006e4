"""Badge counts (待办, 待阅, 未签收): a registry of providers that other contexts fill in.

The notification context does not know what a task or a circulation is: each context registers an async function
that counts, for one person, the items it owns (`register_badge_provider("todo", count_todo)`). The WebSocket sends
the counts on connect and, coalesced, after a person's events. With nothing registered the message is empty.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy.ext.asyncio import AsyncSession

BadgeProvider = Callable[[AsyncSession, int], Awaitable[int]]

log = logging.getLogger("oa.notify.badges")

_providers: dict[str, BadgeProvider] = {}


def register_badge_provider(name: str, provider: BadgeProvider) -> None:
    """Register (or replace, so a reloaded module does not fail) the counter behind badge `name`."""
    if not name or not name.isidentifier():
        raise ValueError(f"a badge name must be a plain identifier such as 'todo', got {name!r}")
    _providers[name] = provider


def unregister_badge_provider(name: str) -> None:
    _providers.pop(name, None)


def badge_names() -> list[str]:
    return sorted(_providers)


def has_badge_providers() -> bool:
    return bool(_providers)


async def count_badges(session: AsyncSession, person_id: int) -> dict[str, int]:
    """Every registered count for one person. A failing provider is logged and left out, not fatal to the rest."""
    counts: dict[str, int] = {}
    for name, provider in sorted(_providers.items()):
        try:
            counts[name] = int(await provider(session, person_id))
        except Exception:
            log.exception("badge provider %r failed for person %s", name, person_id)
            await session.rollback()  # a failed statement aborts a PostgreSQL transaction; start the next afresh
    return counts


async def count_badges_for(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    return {pid: await count_badges(session, pid) for pid in person_ids}
