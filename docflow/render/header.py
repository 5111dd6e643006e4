"""The 版头 of the first page: marks at the top left, the red 发文机关标志, the 发文字号 (with 签发人
on upward documents) and the red separator, in the ordinary layout (GB/T 9704-2012 §7.2) and in the
letter format for 函 (信函格式, §10.1). Each function draws onto the first page and returns the grid
line where the title starts.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from docflow.render.boxes import Page, RuleBox
from docflow.render.errors import RenderError
from docflow.render.fonts import FontRole
from docflow.render.linebreak import Line, set_line
from docflow.render.model import RenderDocument
from docflow.render.standard import (
    BLOCK_LEFT,
    BLOCK_RIGHT,
    BLOCK_TOP,
    BLOCK_WIDTH,
    CHAR_PITCH,
    EM_BOX_DESCENT,
    LETTER_DOUBLE_GAP,
    LETTER_FOOT_LINE_ABOVE_BOTTOM,
    LETTER_LINE_GAP,
    LETTER_LINE_LENGTH,
    LETTER_MARK_TOP,
    LETTER_THICK,
    LETTER_THIN,
    LINE_PITCH,
    MARK_MIN_SCALE,
    MARK_SIZE,
    MARK_TOP_BELOW_BLOCK,
    MM_PER_PT,
    PAGE_HEIGHT,
    RED,
    RED_LINE_GAP,
    RED_LINE_THICKNESS,
    SIZE_3HAO,
    pt,
)
from docflow.render.typeset import GRID_SPACING, Typesetter, cell_baseline, cell_top, width_of

_TITLE_GAP_LINES = 2  # 标题编排于红色分隔线下空二行位置 (§7.3.1); in the letter format 相距二行 (§10.1)


def draw_header(doc: RenderDocument, ts: Typesetter, page: Page) -> int:
    """Draw the ordinary 版头 and return the grid line of the title."""
    _draw_corner_marks(doc, ts, page, lambda index: cell_top(index, BLOCK_TOP))
    mark_bottom = _draw_mark(doc.organ_mark, ts, page, BLOCK_TOP + MARK_TOP_BELOW_BLOCK)
    first_top = mark_bottom + 2 * LINE_PITCH  # 发文字号 in the mark's 下空二行位置
    if doc.is_upward:
        last_top = _draw_number_and_signers(doc, ts, page, first_top)
    else:
        last_top = first_top
        if doc.doc_number:
            line = ts.single_line(doc.doc_number, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "发文字号")
            _check_fits(line, BLOCK_WIDTH, "发文字号")
            _draw_single(page, line, BLOCK_LEFT + (BLOCK_WIDTH - width_of(line)) / 2, last_top)
    red_y = cell_baseline(last_top, SIZE_3HAO) + EM_BOX_DESCENT * pt(SIZE_3HAO) + RED_LINE_GAP
    page.rules.append(RuleBox(BLOCK_LEFT, red_y, BLOCK_WIDTH, RED_LINE_THICKNESS, RED))
    return _grid_line_at_or_below(red_y + RED_LINE_THICKNESS + _TITLE_GAP_LINES * LINE_PITCH)


def draw_letter_header(doc: RenderDocument, ts: Typesetter, page: Page) -> int:
    """Draw the 信函格式 head and foot lines and return the grid line of the title."""
    mark_bottom = _draw_mark(doc.organ_mark, ts, page, LETTER_MARK_TOP)
    line_x = BLOCK_LEFT + (BLOCK_WIDTH - LETTER_LINE_LENGTH) / 2
    head_y = mark_bottom + LETTER_LINE_GAP
    # 上粗下细 under the mark; 上细下粗 20 mm above the bottom edge of the paper.
    page.rules.append(RuleBox(line_x, head_y, LETTER_LINE_LENGTH, LETTER_THICK, RED))
    page.rules.append(RuleBox(line_x, head_y + LETTER_THICK + LETTER_DOUBLE_GAP, LETTER_LINE_LENGTH, LETTER_THIN, RED))
    foot_bottom = PAGE_HEIGHT - LETTER_FOOT_LINE_ABOVE_BOTTOM
    page.rules.append(RuleBox(line_x, foot_bottom - LETTER_THICK, LETTER_LINE_LENGTH, LETTER_THICK, RED))
    page.rules.append(
        RuleBox(
            line_x,
            foot_bottom - LETTER_THICK - LETTER_DOUBLE_GAP - LETTER_THIN,
            LETTER_LINE_LENGTH,
            LETTER_THIN,
            RED,
        )
    )
    # The first element stands 7/8 of a 3号 character below the double line; the cell is placed so that the
    # em box's top edge lands there.
    em = pt(SIZE_3HAO)
    double_bottom = head_y + LETTER_THICK + LETTER_DOUBLE_GAP + LETTER_THIN
    first_top = double_bottom + 7 / 8 * em - (LINE_PITCH - em) / 2
    corner_lines = _draw_corner_marks(doc, ts, page, lambda index: first_top + index * LINE_PITCH)
    number_top = first_top + (1 if corner_lines else 0) * LINE_PITCH  # 第一个要素下一行
    if doc.doc_number:
        line = ts.single_line(doc.doc_number, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "发文字号")
        _check_fits(line, BLOCK_WIDTH, "发文字号")
        _draw_single(page, line, BLOCK_RIGHT - width_of(line), number_top)
    last_top = max(number_top, first_top + (corner_lines - 1) * LINE_PITCH)
    return _grid_line_at_or_below(last_top + (1 + _TITLE_GAP_LINES) * LINE_PITCH)


def _grid_line_at_or_below(y: float) -> int:
    # Half a millimetre of slack so that a line computed to sit exactly on the grid is not pushed a line down.
    return max(0, math.ceil((y - 0.5 - BLOCK_TOP) / LINE_PITCH))


def _draw_corner_marks(doc: RenderDocument, ts: Typesetter, page: Page, top_of: Callable[[int], float]) -> int:
    """份号, 密级★保密期限 and 紧急程度, stacked at the top left in that order (§7.2.1-7.2.3)."""
    marks: list[tuple[str, FontRole, str]] = []
    if doc.copy_no:
        marks.append((doc.copy_no, FontRole.FANGSONG, "份号"))
    if doc.classification:
        text = doc.classification + (f"★{doc.classification_period}" if doc.classification_period else "")
        marks.append((text, FontRole.HEITI, "密级和保密期限"))
    if doc.urgency:
        marks.append((doc.urgency, FontRole.HEITI, "紧急程度"))
    for index, (text, role, where) in enumerate(marks):
        line = ts.single_line(text, role, SIZE_3HAO, GRID_SPACING, where)
        _check_fits(line, BLOCK_WIDTH / 2, where)
        _draw_single(page, line, BLOCK_LEFT, top_of(index))
    return len(marks)


def _draw_mark(text: str, ts: Typesetter, page: Page, ink_top: float) -> float:
    """Draw the red 发文机关标志 centred with its inked top at ``ink_top``; return its lower edge."""
    size_pt = MARK_SIZE / MM_PER_PT
    line = ts.single_line(text, FontRole.XIAOBIAOSONG, size_pt, 0.0, "发文机关标志")
    natural = width_of(line)
    scale = min(1.0, BLOCK_WIDTH / natural) if natural else 1.0
    if scale < MARK_MIN_SCALE:
        limit = int(BLOCK_WIDTH / MARK_MIN_SCALE / MARK_SIZE)
        raise RenderError(f"发文机关标志“{text}”共{len(text)}字，一行最多排{limit}字；请使用规范化简称")
    top_above_baseline = max(g.face.ink_top(g.char) for g in line.glyphs) * MARK_SIZE
    baseline = ink_top + top_above_baseline
    x0 = BLOCK_LEFT + (BLOCK_WIDTH - natural * scale) / 2
    for box in set_line(line, x=x0, baseline=baseline, width=natural, size_pt=size_pt, spacing=0.0, color=RED):
        page.texts.append(dataclasses.replace(box, x=x0 + (box.x - x0) * scale, scale_x=scale))
    return baseline + EM_BOX_DESCENT * MARK_SIZE


def _draw_number_and_signers(doc: RenderDocument, ts: Typesetter, page: Page, first_top: float) -> float:
    """Upward documents: 发文字号 居左空一字, "签发人：" and names 居右空一字, two names a line (§7.2.5)."""
    label = ts.glyphs("签发人：", FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "签发人")
    rows = [doc.signers[i : i + 2] for i in range(0, len(doc.signers), 2)] or [()]
    row_lines = [
        Line(
            tuple(ts.glyphs("\u3000".join(row), FontRole.KAITI, SIZE_3HAO, GRID_SPACING, "签发人")),
            False,
            True,
        )
        for row in rows
    ]
    label_width = sum(g.width for g in label)
    names_width = max(width_of(line) for line in row_lines)
    names_x = BLOCK_RIGHT - CHAR_PITCH - names_width
    if names_x - label_width < BLOCK_LEFT + CHAR_PITCH:
        raise RenderError("签发人姓名太长，排不进一行；请核对签发人姓名")
    _draw_single(page, Line(tuple(label), False, True), names_x - label_width, first_top)
    for index, line in enumerate(row_lines):
        _draw_single(page, line, names_x, first_top + index * LINE_PITCH)
    last_top = first_top + (len(row_lines) - 1) * LINE_PITCH
    if doc.doc_number:
        number = ts.single_line(doc.doc_number, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "发文字号")
        number_x = BLOCK_LEFT + CHAR_PITCH
        if number_x + width_of(number) + CHAR_PITCH > names_x - label_width:
            raise RenderError("发文字号与签发人排不进同一行：请缩短发文字号或签发人姓名")
        _draw_single(page, number, number_x, last_top)
    return last_top


def _draw_single(page: Page, line: Line, x: float, top: float) -> None:
    page.texts.extend(
        set_line(
            line,
            x=x,
            baseline=cell_baseline(top, SIZE_3HAO),
            width=width_of(line),
            size_pt=SIZE_3HAO,
            spacing=GRID_SPACING,
            justify=False,
        )
    )


def _check_fits(line: Line, width: float, where: str) -> None:
    if width_of(line) > width + 0.01:
        raise RenderError(f"{where}“{line.text}”太长，一行排不下；请缩短")
