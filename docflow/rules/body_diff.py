"""What changed between two versions of a body: a line-based diff for version comparison (痕迹保留).

The diff runs on the rendered lines (numbers included), because that is what reviewers read and
sign: inserting a section that renumbers the following headings *is* a visible change. Rows carry
their 1-based line numbers in each version so the UI can show the two versions side by side.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from docflow.rules.body import Block, render_lines


class DiffOp(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class DiffLine:
    """One row of the comparison; `old_line`/`new_line` are None on the side it is absent from."""

    op: DiffOp
    text: str
    old_line: int | None
    new_line: int | None


@dataclass(frozen=True)
class DiffSummary:
    added: int
    removed: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def diff_lines(old: Sequence[str], new: Sequence[str]) -> list[DiffLine]:
    """A minimal-ish line diff (difflib's matcher, junk heuristics off so results are predictable)."""
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    rows: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffLine(DiffOp.SAME, old[i1 + k], i1 + k + 1, j1 + k + 1) for k in range(i2 - i1))
            continue
        # "replace" is shown as removals then additions, the convention reviewers know from 修订 mode.
        rows.extend(DiffLine(DiffOp.REMOVED, old[i], i + 1, None) for i in range(i1, i2))
        rows.extend(DiffLine(DiffOp.ADDED, new[j], None, j + 1) for j in range(j1, j2))
    return rows


def diff_bodies(old: Sequence[Block], new: Sequence[Block]) -> list[DiffLine]:
    """Compare two versions of a structured body line by line."""
    return diff_lines(render_lines(old), render_lines(new))


def summarise(rows: Sequence[DiffLine]) -> DiffSummary:
    """Counts for a version list ("+3 −1")."""
    return DiffSummary(
        added=sum(1 for row in rows if row.op is DiffOp.ADDED),
        removed=sum(1 for row in rows if row.op is DiffOp.REMOVED),
        unchanged=sum(1 for row in rows if row.op is DiffOp.SAME),
    )
