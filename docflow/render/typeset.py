"""Turning strings into measured glyphs in the face that will draw them, and placing lines in grid cells."""

from __future__ import annotations

from dataclasses import dataclass

from docflow.render.errors import FontError
from docflow.render.fontfiles import FontSet
from docflow.render.fonts import FontRole
from docflow.render.linebreak import Glyph, Line
from docflow.render.standard import CHAR_PITCH, EM_BOX_DESCENT, LINE_PITCH, SIZE_3HAO, pt

# 28 characters of 3号 type fill 156 mm only if each advances 156/28 mm, a hair less than its 16 pt em: the
# same negative letter spacing Word's 文档网格 applies.
GRID_SPACING = CHAR_PITCH - pt(SIZE_3HAO)


@dataclass(frozen=True, slots=True)
class Typesetter:
    fonts: FontSet

    def glyphs(self, text: str, role: FontRole, size_pt: float, spacing: float, where: str) -> list[Glyph]:
        """Measure ``text`` set in ``role`` at ``size_pt``; refuse characters that no configured font has."""
        size = pt(size_pt)
        out: list[Glyph] = []
        for char in text:
            face = self.fonts.face_for(role, char)
            if face is None:
                raise FontError(
                    f"{where}中的字符“{char}”（U+{ord(char):04X}）在已配置的字体中都没有字形，无法印出；"
                    "请改用规范汉字，或安装并配置含有此字的字体"
                )
            out.append(Glyph(char, face, face.advance(char) * size + spacing))
        return out

    def single_line(self, text: str, role: FontRole, size_pt: float, spacing: float, where: str) -> Line:
        return Line(tuple(self.glyphs(text, role, size_pt, spacing, where)), hanging=False, last=True)


def width_of(line: Line) -> float:
    return sum(g.width for g in line.glyphs)


def cell_top(index: int, block_top: float) -> float:
    """Top of grid line ``index`` (0-based) of a page whose text block starts at ``block_top``."""
    return block_top + index * LINE_PITCH


def cell_baseline(top: float, size_pt: float) -> float:
    """Baseline centring the ideographic em box of ``size_pt`` type in the grid cell starting at ``top``."""
    return top + LINE_PITCH / 2 + (0.5 - EM_BOX_DESCENT) * pt(size_pt)
