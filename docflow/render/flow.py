"""The text of a document as a flow of grid lines, and its pagination into pages of 22 lines.

Content (title, 主送机关, body, 附件说明, signature, 附注) is first built as groups of :class:`FlowLine`; a
group is never split across pages, which keeps a heading with the line after it and the signature and
seal with the last line of the body (GB/T 9704 forbids a seal on a page without text). Only when a line is
given its cell does it become positioned boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from docflow.render.boxes import ImageBox, Page
from docflow.render.linebreak import Line, set_line
from docflow.render.standard import BLOCK_TOP, LINES_PER_PAGE
from docflow.render.typeset import cell_baseline, cell_top


@dataclass(frozen=True, slots=True)
class Piece:
    """A line of text placed at ``x``; justified to ``width`` when it is not the end of its paragraph."""

    line: Line
    x: float
    width: float
    size_pt: float
    spacing: float
    color: str = "#000000"
    justify: bool = True


@dataclass(frozen=True, slots=True)
class Anchored:
    """An image at abscissa ``x``, ``dy`` below the top of its line's cell (the seal on the signature)."""

    x: float
    dy: float
    width: float
    height: float
    png: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class FlowLine:
    pieces: tuple[Piece, ...] = ()
    images: tuple[Anchored, ...] = ()

    @property
    def is_blank(self) -> bool:
        return not self.pieces and not self.images


BLANK = FlowLine()
Group = tuple[FlowLine, ...]


@dataclass(slots=True)
class Paginator:
    """Places groups of lines on the grid of successive pages."""

    pages: list[Page]
    line: int  # next free grid line on the last page

    @classmethod
    def starting(cls, first_page: Page, first_line: int) -> Paginator:
        return cls(pages=[first_page], line=first_line)

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.line = 0

    def place(self, groups: Sequence[Group]) -> None:
        for group in groups:
            self._place_group(group)

    def _place_group(self, group: Group) -> None:
        if len(group) > LINES_PER_PAGE - self.line and len(group) <= LINES_PER_PAGE and self.line > 0:
            self.new_page()
        for flow_line in group:
            if self.line >= LINES_PER_PAGE:
                self.new_page()
            if self.line == 0 and flow_line.is_blank:
                continue  # a page never starts with an empty line
            draw_line(self.page, flow_line, self.line)
            self.line += 1

    @property
    def last_used_line(self) -> int:
        return self.line - 1


def draw_line(page: Page, flow_line: FlowLine, index: int) -> None:
    top = cell_top(index, BLOCK_TOP)
    for piece in flow_line.pieces:
        page.texts.extend(
            set_line(
                piece.line,
                x=piece.x,
                baseline=cell_baseline(top, piece.size_pt),
                width=piece.width,
                size_pt=piece.size_pt,
                spacing=piece.spacing,
                color=piece.color,
                justify=piece.justify,
            )
        )
    for image in flow_line.images:
        page.images.append(ImageBox(image.x, top + image.dy, image.width, image.height, image.png))
