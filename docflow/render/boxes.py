"""What a laid-out page is made of: text runs, rules and images at absolute positions (mm from the top left).

The layout produces these; :mod:`docflow.render.html` turns them into HTML for WeasyPrint. Keeping the page as
plain positioned boxes makes the layout testable without drawing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docflow.render.fontfiles import Face


@dataclass(frozen=True, slots=True)
class TextBox:
    """A run of text in one face, its baseline at ``baseline`` and its first character at ``x``."""

    x: float
    baseline: float
    text: str
    face: Face
    size_pt: float
    letter_spacing: float = 0.0  # mm added after every character
    color: str = "#000000"
    scale_x: float = 1.0  # horizontal compression, for a 发文机关标志 wider than the text block


@dataclass(frozen=True, slots=True)
class RuleBox:
    """A horizontal line whose top edge is at ``y``."""

    x: float
    y: float
    width: float
    thickness: float
    color: str = "#000000"


@dataclass(frozen=True, slots=True)
class ImageBox:
    """A PNG (the seal) placed with its top left corner at (x, y)."""

    x: float
    y: float
    width: float
    height: float
    png: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Watermark:
    """The diagonal "预览稿" mark drawn under everything else on a preview page."""

    text: str
    face: Face


@dataclass(slots=True)
class Page:
    texts: list[TextBox] = field(default_factory=list)
    rules: list[RuleBox] = field(default_factory=list)
    images: list[ImageBox] = field(default_factory=list)
    watermark: Watermark | None = None
    number: int | None = None  # the printed page number, None on pages that show none

    @property
    def is_blank(self) -> bool:
        return not (self.texts or self.rules or self.images)
