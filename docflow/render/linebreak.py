"""Breaking text into lines on the 28-character grid, and setting a line as positioned text runs.

Chinese line breaking (避头尾): a closing mark (，。、” …) may not start a line and an opening mark
(（《“ …) may not end one. As Word does for 公文 ("允许标点溢出边界"), a closing mark that would start the
next line hangs past the right edge instead, so every full line keeps exactly 28 characters on the grid.
Runs of Latin letters and digits are kept whole unless a run is longer than a line. Full lines are
justified to the block's width; the last line of a paragraph is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docflow.render.boxes import TextBox
from docflow.render.fontfiles import Face
from docflow.render.standard import CHAR_PITCH, pt

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%％,.;:?!)]}、～")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
_EPSILON = 0.01  # mm: a line that overshoots by less than this is a rounding error, not an overflow
# A line left this much short (by a number or URL carried whole to the next line) is set ragged: spreading
# a few characters across the block would read worse than a short line.
_MAX_JUSTIFY = 4 * CHAR_PITCH


@dataclass(frozen=True, slots=True)
class Glyph:
    char: str
    face: Face
    width: float  # mm the glyph takes on the line, its letter spacing included


@dataclass(frozen=True, slots=True)
class Line:
    glyphs: tuple[Glyph, ...]
    hanging: bool  # the last glyph is a closing mark hanging past the right edge
    last: bool  # last line of its paragraph: set ragged, not justified

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def break_lines(glyphs: Sequence[Glyph], width: float, first_width: float | None = None) -> list[Line]:
    """Break ``glyphs`` into lines ``width`` mm wide (the first line ``first_width`` wide, for an indent)."""
    lines: list[Line] = []
    start = 0
    while start < len(glyphs):
        room = width if lines or first_width is None else first_width
        end, hanging = _line_end(glyphs, start, room)
        lines.append(Line(tuple(glyphs[start:end]), hanging=hanging, last=end >= len(glyphs)))
        start = end
    return lines


def _line_end(glyphs: Sequence[Glyph], start: int, room: float) -> tuple[int, bool]:
    """Index one past the line's last glyph, and whether that glyph hangs."""
    used = 0.0
    fit = start
    while fit < len(glyphs) and used + glyphs[fit].width <= room + _EPSILON:
        used += glyphs[fit].width
        fit += 1
    if fit >= len(glyphs):
        return len(glyphs), False
    if fit == start:  # a single glyph wider than the line: set it alone rather than loop forever
        return start + 1, False
    if glyphs[fit].char in NO_LINE_START:
        following = glyphs[fit + 1].char if fit + 1 < len(glyphs) else ""
        if following not in NO_LINE_START:
            return fit + 1, True
        # Two closing marks in a row (。” or ……): carry the last character over so both follow it.
        end = fit - 1
        while end > start and glyphs[end].char in NO_LINE_START:
            end -= 1
        fit = end if end > start else fit
    end = fit
    run_start = end
    while run_start > start and _is_word(glyphs[run_start - 1].char) and _is_word(glyphs[run_start].char):
        run_start -= 1
    if run_start > start:
        end = run_start
    # Checked after the word so that the 《 or （ before a carried-over number or URL goes down with it.
    while end - 1 > start and glyphs[end - 1].char in NO_LINE_END:
        end -= 1
    return end, False


def _is_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "._-/@:%")


def set_line(
    line: Line,
    *,
    x: float,
    baseline: float,
    width: float,
    size_pt: float,
    spacing: float,
    color: str = "#000000",
    justify: bool = True,
) -> list[TextBox]:
    """Position ``line`` as text runs, one per face, justified to ``width`` unless it ends its paragraph."""
    if not line.glyphs:
        return []
    body = line.glyphs[:-1] if line.hanging else line.glyphs
    natural = sum(g.width for g in body)
    extra = 0.0
    if justify and not line.last and len(body) > 1 and 0.0 < width - natural <= _MAX_JUSTIFY:
        extra = (width - natural) / (len(body) - 1)
    boxes: list[TextBox] = []
    run: list[Glyph] = []
    cursor = x
    run_x = x
    for index, glyph in enumerate(line.glyphs):
        if extra > 0.0 and line.hanging and index == len(body):
            cursor = x + width  # the hanging mark starts exactly at the edge the line was justified to
        # Pango stretches large letter spacing by about 1 %, so a justified line places each glyph itself
        # rather than trusting letter-spacing to spread it; a line on the plain grid stays one run per face.
        if run and (glyph.face != run[0].face or extra > 0.0):
            boxes.append(_run_box(run, run_x, baseline, size_pt, spacing, color))
            run = []
            run_x = cursor
        run.append(glyph)
        cursor += glyph.face.advance(glyph.char) * pt(size_pt) + spacing + extra
    boxes.append(_run_box(run, run_x, baseline, size_pt, spacing, color))
    return boxes


def _run_box(run: list[Glyph], x: float, baseline: float, size_pt: float, spacing: float, color: str) -> TextBox:
    return TextBox(
        x=x,
        baseline=baseline,
        text="".join(g.char for g in run),
        face=run[0].face,
        size_pt=size_pt,
        letter_spacing=spacing,
        color=color,
    )
