"""Running renders off the event loop: worker threads behind a per-node limit.

Laying out and writing a PDF takes a second or two of CPU. Done on the event loop it would freeze every request
and WebSocket of the node, so it runs in a worker thread (`anyio.to_thread.run_sync`); and since a burst of
previews could still starve the node's CPUs, at most `OA_RENDER_CONCURRENCY` renders run at once, the others
wait their turn. The limiter belongs to the running event loop (one per app node) and is made on first use, not
at import: the use cases that render (the 用印 hook among them) receive the settings, not the app's services.
"""

from __future__ import annotations

import functools
import weakref
from asyncio import AbstractEventLoop, get_running_loop
from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread

from docflow.render.fontfiles import FontSet, resolve_fonts
from docflow.render.fonts import FontConfig
from oa.settings import Settings, SettingsError

CONCURRENCY_VARIABLE = "OA_RENDER_CONCURRENCY"
DEFAULT_CONCURRENCY = 2
_T = TypeVar("_T")
_limiters: weakref.WeakKeyDictionary[AbstractEventLoop, CapacityLimiter] = weakref.WeakKeyDictionary()


def render_concurrency(settings: Settings) -> int:
    """How many renders may run at once on this node (`OA_RENDER_CONCURRENCY`, default 2)."""
    raw = settings.extra.get(CONCURRENCY_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_CONCURRENCY
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{CONCURRENCY_VARIABLE} must be a whole number, got {raw!r}") from exc
    if not 1 <= value <= 64:
        raise SettingsError(f"{CONCURRENCY_VARIABLE} must be between 1 and 64, got {value}")
    return value


def limiter_for(settings: Settings) -> CapacityLimiter:
    """This event loop's render limiter, sized from the settings (a changed size applies to later renders)."""
    loop = get_running_loop()
    tokens = render_concurrency(settings)
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(tokens)
    elif limiter.total_tokens != tokens:
        limiter.total_tokens = tokens
    return limiter


async def run_limited(settings: Settings, work: Callable[[], _T]) -> _T:
    """Run blocking ``work`` in a worker thread once one of the node's render slots is free."""
    return await to_thread.run_sync(work, limiter=limiter_for(settings))


def fonts_for(settings: Settings) -> FontSet:
    """The fonts of the four roles, from the same OA_FONT_* variables `oa render` reads. Blocking on first use
    (fc-match runs a process per family), then cached per configuration."""
    return _resolved(tuple(sorted((k, v) for k, v in settings.extra.items() if k.startswith("OA_FONT_"))))


@functools.lru_cache(maxsize=8)
def _resolved(font_variables: tuple[tuple[str, str], ...]) -> FontSet:
    return resolve_fonts(FontConfig.from_environ(dict(font_variables)))
