"""Normalising text for the portable full-text search of the catalogue (pure).

Titles, 文号, 责任者 and body text are stored once, normalised, in `archive_items.search_text`; a query is
normalised the same way and matched with LIKE, which behaves alike on SQLite and PostgreSQL. NFKC folds
full-width letters and digits (２０２６ → 2026) and compatibility forms, `casefold` ignores case, and whitespace
is dropped because Chinese text has no word spaces and users paste titles with stray ones. Chinese needs no word
segmentation for a substring match, which is what people type into an archive search box.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
MAX_SEARCH_TEXT = 200_000


def normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def search_text(parts: Iterable[str]) -> str:
    """One normalised string of every part, separated so a match cannot straddle two fields."""
    return "\x1f".join(normalise(part) for part in parts if part)[:MAX_SEARCH_TEXT]


def like_pattern(query: str) -> str:
    """`%query%` with LIKE's own wildcards escaped (used with ESCAPE '\\')."""
    escaped = normalise(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
