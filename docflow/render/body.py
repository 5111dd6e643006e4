"""The text that flows on the grid: title, 主送机关, body, 附件说明, signature with date and seal,
附注, and the pages of each attachment (GB/T 9704-2012 §7.3), all built as groups of flow lines."""

from __future__ import annotations

import math
import struct

from docflow.render.errors import RenderError
from docflow.render.flow import BLANK, Anchored, FlowLine, Group, Piece
from docflow.render.fonts import FontRole
from docflow.render.linebreak import NO_LINE_START, Glyph, Line, break_lines
from docflow.render.model import Attachment, BodyBlock, Level, RenderDocument, chinese_date
from docflow.render.standard import (
    BLOCK_LEFT,
    BLOCK_RIGHT,
    BLOCK_WIDTH,
    CHAR_PITCH,
    LINE_PITCH,
    SEAL_DIAMETER,
    SIZE_2HAO,
    SIZE_3HAO,
    pt,
)
from docflow.render.typeset import GRID_SPACING, Typesetter, width_of

_HEADING_ROLES = {Level.CHAPTER: FontRole.HEITI, Level.SECTION: FontRole.KAITI}


def title_group(ts: Typesetter, title: str) -> Group:
    """The title in 2号小标宋, centred; a long one is cut into lines of about equal length."""
    glyphs = ts.glyphs(title, FontRole.XIAOBIAOSONG, SIZE_2HAO, 0.0, "标题")
    total = sum(g.width for g in glyphs)
    rows = max(1, math.ceil(total / BLOCK_WIDTH))
    widest = max((g.width for g in glyphs), default=0.0)
    # Widen the measure a character at a time until the title takes no more lines than it must: a break
    # moved by 避头尾 or by a number kept whole must not leave one character alone on a last line.
    measure = min(BLOCK_WIDTH, total / rows + widest)
    lines = break_lines(glyphs, measure)
    while len(lines) > rows and measure < BLOCK_WIDTH:
        measure = min(BLOCK_WIDTH, measure + widest)
        lines = break_lines(glyphs, measure)
    if len(lines) == 2:
        lines = _two_line_title(glyphs, lines, widest)
    return tuple(
        FlowLine(
            (
                Piece(
                    line,
                    _centred(line),
                    width_of(line),
                    SIZE_2HAO,
                    0.0,
                    justify=False,
                ),
            )
        )
        for line in lines
    )


def _two_line_title(glyphs: list[Glyph], balanced: list[Line], em: float) -> list[Line]:
    """Break a two-line title where it reads best: "回行时，要做到词意完整" (§7.3.1). Chinese titles are
    customarily broken after the organ's name and its "关于"; that break wins unless it makes the lines
    much more unequal than the balanced one (by more than six characters)."""
    text = "".join(g.char for g in glyphs)
    cut = text.find("关于") + 2
    if cut < 2 or cut >= len(glyphs):
        return balanced
    first, second = glyphs[:cut], glyphs[cut:]
    widths = sum(g.width for g in first), sum(g.width for g in second)
    balanced_gap = abs(width_of(balanced[0]) - width_of(balanced[1]))
    if max(widths) > BLOCK_WIDTH or abs(widths[0] - widths[1]) > balanced_gap + 6 * em:
        return balanced
    if second[0].char in NO_LINE_START:
        return balanced
    return [Line(tuple(first), False, False), Line(tuple(second), False, True)]


def _centred(line: Line) -> float:
    """Left edge of a centred line; a hanging closing mark is left out of the centring, as in the body."""
    inked = width_of(line) - (line.glyphs[-1].width if line.hanging else 0.0)
    return BLOCK_LEFT + max(0.0, (BLOCK_WIDTH - inked) / 2)


def recipients_group(ts: Typesetter, recipients: str) -> Group:
    """主送机关: 标题下空一行, flush left, the last name followed by a full-width colon (§7.3.2)."""
    if not recipients:
        return ()
    text = recipients if recipients.endswith(("：", ":")) else recipients + "："
    glyphs = ts.glyphs(text, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "主送机关")
    return (BLANK, *_lines(break_lines(glyphs, BLOCK_WIDTH), BLOCK_LEFT, BLOCK_WIDTH))


def body_groups(ts: Typesetter, blocks: tuple[BodyBlock, ...], where: str) -> list[Group]:
    """One group per line, except that a heading standing on its own line keeps with the line after it."""
    groups: list[Group] = []
    keep_with_next = False
    for number, block in enumerate(blocks, start=1):
        glyphs = _block_glyphs(ts, block, f"{where}第{number}段")
        lines = _lines(
            break_lines(glyphs, BLOCK_WIDTH, BLOCK_WIDTH - 2 * CHAR_PITCH),
            BLOCK_LEFT,
            BLOCK_WIDTH,
            first_indent=2 * CHAR_PITCH,
        )
        block_groups: list[Group] = [(line,) for line in lines]
        if keep_with_next and groups and block_groups:
            block_groups[0] = groups.pop() + block_groups[0]
        groups.extend(block_groups)
        keep_with_next = block.level in _HEADING_ROLES and len(lines) <= 2
    return groups


def _block_glyphs(ts: Typesetter, block: BodyBlock, where: str) -> list[Glyph]:
    """A heading's ordinal and heading sentence take the level's face; text run on after its 。 is 仿宋."""
    role = _HEADING_ROLES.get(Level(block.level))
    if role is None:
        return ts.glyphs(block.text, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, where)
    cut = block.text.find("。") + 1
    head, rest = (block.text[:cut], block.text[cut:]) if 0 < cut < len(block.text) else (block.text, "")
    return ts.glyphs(head, role, SIZE_3HAO, GRID_SPACING, where) + ts.glyphs(
        rest, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, where
    )


def attachment_notes_group(ts: Typesetter, names: tuple[str, ...]) -> list[Group]:
    """附件说明: 正文下空一行左空二字 "附件：", numbered when there are several; a long name wraps under its
    first character (§7.3.4)."""
    if not names:
        return []
    label = ts.glyphs("附件：", FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "附件说明")
    column = BLOCK_LEFT + 2 * CHAR_PITCH + sum(g.width for g in label)
    groups: list[Group] = [(BLANK,)]
    for number, name in enumerate(names, start=1):
        prefix = ts.glyphs(f"{number}. " if len(names) > 1 else "", FontRole.FANGSONG, SIZE_3HAO, 0.0, "附件说明")
        name_x = column + sum(g.width for g in prefix)
        glyphs = ts.glyphs(name, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "附件说明")
        lines = _lines(break_lines(glyphs, BLOCK_RIGHT - name_x), name_x, BLOCK_RIGHT - name_x)
        head: list[Piece] = []
        if number == 1:
            head.append(_plain(label, BLOCK_LEFT + 2 * CHAR_PITCH))
        if prefix:
            head.append(_plain(prefix, column))
        first = FlowLine((*head, *lines[0].pieces))
        groups.append((first,))
        groups.extend((line,) for line in lines[1:])
    return groups


def signature_lines(ts: Typesetter, doc: RenderDocument, seal: bytes | None) -> list[FlowLine]:
    """发文机关署名, 成文日期 and the seal (§7.3.5): with a seal the date stands 右空四字, the name
    centred over it and the seal pressing on both, its top within a line of the text above; without one
    the name stands 右空二字 and the date two characters further right."""
    name = ts.single_line(doc.issuer_signature, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "发文机关署名")
    date = ts.single_line(chinese_date(doc.date), FontRole.FANGSONG, SIZE_3HAO, 0.0, "成文日期")
    name_w, date_w = width_of(name), width_of(date)
    if name_w > BLOCK_WIDTH - 2 * CHAR_PITCH:
        raise RenderError(f"发文机关署名“{doc.issuer_signature}”太长，一行排不下；请使用规范化简称")
    if seal is not None:
        date_x = BLOCK_RIGHT - 4 * CHAR_PITCH - date_w
        centre = date_x + date_w / 2
        name_x = min(centre - name_w / 2, BLOCK_RIGHT - name_w)
        seal_w, seal_h = _seal_size(seal)
        # The name's line is the third after the text; the seal's top sits 1.5 lines above it, i.e. half a
        # line below the text, so that name and date fall a little below the seal's centre.
        image = Anchored(centre - seal_w / 2, -1.5 * LINE_PITCH, seal_w, seal_h, seal)
        return [
            BLANK,
            BLANK,
            FlowLine((_plain_line(name, name_x),), (image,)),
            FlowLine((_plain_line(date, date_x),)),
        ]
    name_x = BLOCK_RIGHT - 2 * CHAR_PITCH - name_w
    date_x = name_x + 2 * CHAR_PITCH
    if date_w > name_w:  # 如成文日期长于发文机关署名，应当使成文日期右空二字编排，并相应增加发文机关署名右空字数
        date_x = BLOCK_RIGHT - 2 * CHAR_PITCH - date_w
        name_x = date_x - 2 * CHAR_PITCH
    return [BLANK, FlowLine((_plain_line(name, name_x),)), FlowLine((_plain_line(date, date_x),))]


def note_lines(ts: Typesetter, note: str | None) -> list[FlowLine]:
    """附注: in parentheses, 居左空二字, on the line after the date (§7.3.6)."""
    if not note:
        return []
    text = note if note.startswith(("（", "(")) else f"（{note}）"
    glyphs = ts.glyphs(text, FontRole.FANGSONG, SIZE_3HAO, GRID_SPACING, "附注")
    return list(
        _lines(
            break_lines(glyphs, BLOCK_WIDTH, BLOCK_WIDTH - 2 * CHAR_PITCH),
            BLOCK_LEFT,
            BLOCK_WIDTH,
            first_indent=2 * CHAR_PITCH,
        )
    )


def attachment_groups(ts: Typesetter, attachment: Attachment, number: int | None) -> list[Group]:
    """An attachment's page: "附件N" in 黑体 on the first line, its title centred on the third (§8)."""
    label = "附件" if number is None else f"附件{number}"
    head = ts.single_line(label, FontRole.HEITI, SIZE_3HAO, GRID_SPACING, "附件")
    groups: list[Group] = [(FlowLine((_plain_line(head, BLOCK_LEFT),)), BLANK, *title_group(ts, attachment.title))]
    if attachment.body:
        groups.append((BLANK,))
        groups.extend(body_groups(ts, attachment.body, f"“{attachment.title}”"))
    return groups


def _lines(lines: list[Line], x: float, width: float, first_indent: float = 0.0) -> tuple[FlowLine, ...]:
    out = []
    for index, line in enumerate(lines):
        indent = first_indent if index == 0 else 0.0
        out.append(FlowLine((Piece(line, x + indent, width - indent, SIZE_3HAO, GRID_SPACING),)))
    return tuple(out)


def _plain(glyphs: list[Glyph], x: float) -> Piece:
    return _plain_line(Line(tuple(glyphs), False, True), x)


def _plain_line(line: Line, x: float) -> Piece:
    return Piece(line, x, width_of(line), SIZE_3HAO, _spacing_of(line), justify=False)


def _spacing_of(line: Line) -> float:
    """The letter spacing the line's glyphs were measured with (grid spacing or none)."""
    if not line.glyphs:
        return 0.0
    first = line.glyphs[0]
    return first.width - first.face.advance(first.char) * pt(SIZE_3HAO)


def _seal_size(png: bytes) -> tuple[float, float]:
    """Width and height in mm of the seal: 42 mm wide, its height from the PNG's own proportions."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise RenderError("印章图像不是有效的 PNG 文件")
    width, height = struct.unpack(">II", png[16:24])
    if width == 0 or height == 0:
        raise RenderError("印章图像的尺寸为零")
    return SEAL_DIAMETER, SEAL_DIAMETER * height / width
