"""The 版记 at the foot of the last even page, and the page numbers (GB/T 9704-2012 §7.4, §7.5).

The 版记 (抄送机关, 印发机关和印发日期) takes the last grid lines of the block, between a thick first and
last line with a thin one between its elements, the last line on the block's lower edge. It goes on an
even page, the back of the last sheet: a document ending on an odd page gets one more page for it, and one
ending on a full even page gets a blank page and a 版记 page, which then carry no page number.
"""

from __future__ import annotations

from docflow.render.boxes import Page, RuleBox, TextBox
from docflow.render.errors import RenderError
from docflow.render.flow import FlowLine, Paginator, Piece, draw_line
from docflow.render.fonts import FontRole
from docflow.render.linebreak import Line, break_lines, set_line
from docflow.render.model import RenderDocument, chinese_date
from docflow.render.standard import (
    BLOCK_BOTTOM,
    BLOCK_LEFT,
    BLOCK_RIGHT,
    BLOCK_TOP,
    BLOCK_WIDTH,
    EM_BOX_DESCENT,
    IMPRINT_THICK,
    IMPRINT_THIN,
    LINES_PER_PAGE,
    PAGE_NUMBER_BELOW_BLOCK,
    SIZE_4HAO,
    pt,
)
from docflow.render.typeset import Typesetter, cell_top, width_of

_INSET = pt(SIZE_4HAO)  # 左右各空一字 of 4号 type


def imprint_lines(ts: Typesetter, doc: RenderDocument) -> tuple[list[FlowLine], int | None]:
    """The 版记's lines and the index among them of the 印发 line (None when there is none)."""
    lines: list[FlowLine] = []
    if doc.cc:
        text = doc.cc if doc.cc.endswith("。") else doc.cc + "。"
        label = ts.glyphs("抄送：", FontRole.FANGSONG, SIZE_4HAO, 0.0, "抄送机关")
        label_w = sum(g.width for g in label)
        x = BLOCK_LEFT + _INSET + label_w  # 回行时与冒号后的首字对齐
        width = BLOCK_RIGHT - _INSET - x
        glyphs = ts.glyphs(text, FontRole.FANGSONG, SIZE_4HAO, 0.0, "抄送机关")
        for index, line in enumerate(break_lines(glyphs, width)):
            pieces = [Piece(line, x, width, SIZE_4HAO, 0.0)]
            if index == 0:
                pieces.insert(0, Piece(Line(tuple(label), False, True), BLOCK_LEFT + _INSET, label_w, SIZE_4HAO, 0.0))
            lines.append(FlowLine(tuple(pieces)))
    if doc.printer and not doc.letter_format:  # the letter format's 版记 has no 印发 line (§10.1)
        if doc.print_date is None:
            raise RenderError("有印发机关时必须填写印发日期")
        printer = ts.single_line(doc.printer, FontRole.FANGSONG, SIZE_4HAO, 0.0, "印发机关")
        date = ts.single_line(chinese_date(doc.print_date) + "印发", FontRole.FANGSONG, SIZE_4HAO, 0.0, "印发日期")
        date_x = BLOCK_RIGHT - _INSET - width_of(date)
        if BLOCK_LEFT + _INSET + width_of(printer) + _INSET > date_x:
            raise RenderError(f"印发机关“{doc.printer}”太长，与印发日期排不进同一行；请使用规范化简称")
        lines.append(
            FlowLine(
                (
                    Piece(printer, BLOCK_LEFT + _INSET, width_of(printer), SIZE_4HAO, 0.0, justify=False),
                    Piece(date, date_x, width_of(date), SIZE_4HAO, 0.0, justify=False),
                )
            )
        )
        return lines, len(lines) - 1
    return lines, None


def place_imprint(paginator: Paginator, lines: list[FlowLine], printed_at: int | None, letter: bool) -> set[int]:
    """Put the 版记 on the right page; return the indexes of pages that must not show a page number."""
    if not lines:
        return set()
    if len(lines) > LINES_PER_PAGE // 2:
        raise RenderError("抄送机关太多，版记超过半页；请精简抄送机关")
    first = LINES_PER_PAGE - len(lines)
    fits = paginator.line <= first
    unnumbered: set[int] = set()
    if letter:
        if not fits:
            paginator.new_page()
    elif len(paginator.pages) % 2 == 1:
        paginator.new_page()
    elif not fits:
        paginator.new_page()
        paginator.new_page()
        unnumbered = {len(paginator.pages) - 2, len(paginator.pages) - 1}
    page = paginator.page
    for offset, flow_line in enumerate(lines):
        draw_line(page, flow_line, first + offset)
    if not letter:
        page.rules.append(RuleBox(BLOCK_LEFT, cell_top(first, BLOCK_TOP), BLOCK_WIDTH, IMPRINT_THICK))
        if printed_at is not None and printed_at > 0:
            y = cell_top(first + printed_at, BLOCK_TOP) - IMPRINT_THIN / 2
            page.rules.append(RuleBox(BLOCK_LEFT, y, BLOCK_WIDTH, IMPRINT_THIN))
        page.rules.append(RuleBox(BLOCK_LEFT, BLOCK_BOTTOM - IMPRINT_THICK, BLOCK_WIDTH, IMPRINT_THICK))
    paginator.line = LINES_PER_PAGE
    return unnumbered


def number_pages(ts: Typesetter, pages: list[Page], skip: set[int]) -> None:
    """Page numbers "— n —" in 4号 with half-width digits, the dashes 7 mm under the block; odd pages
    居右空一字, even pages 居左空一字."""
    size = pt(SIZE_4HAO)
    # The dash sits at the middle of the em box, so the em box is centred on the 7 mm line.
    baseline = BLOCK_BOTTOM + PAGE_NUMBER_BELOW_BLOCK + (0.5 - EM_BOX_DESCENT) * size
    for index, page in enumerate(pages):
        if index in skip:
            continue
        number = index + 1
        line = ts.single_line(f"— {number} —", FontRole.FANGSONG, SIZE_4HAO, 0.0, "页码")
        width = width_of(line)
        x = BLOCK_RIGHT - size - width if number % 2 else BLOCK_LEFT + size
        boxes: list[TextBox] = set_line(line, x=x, baseline=baseline, width=width, size_pt=SIZE_4HAO, spacing=0.0)
        page.texts.extend(boxes)
        page.number = number
