"""Reading a rendered PDF back, in millimetres from the top left of each page: characters and rules with
pdfplumber, ink with poppler's pdftoppm (a different engine from the one that wrote the file), metadata and
font dictionaries with pypdf.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from PIL import Image
from pypdf import PdfReader

MM = 25.4 / 72  # millimetres per PDF point
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "render"


def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    assert found, "pdftoppm (Debian poppler-utils) is needed to check the rendered pages"
    return found


def save_artifacts(name: str, pdf: bytes) -> None:
    """Keep the PDF and its pages as 60 dpi PNGs in artifacts/render/ for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run([pdftoppm(), "-png", "-r", "60", str(path), str(ARTIFACTS / name)], check=True)


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    color: tuple[float, ...]
    font: str


@dataclass(frozen=True)
class Rule:
    x0: float
    top: float
    width: float
    height: float
    color: tuple[float, ...]


def is_red(color: tuple[float, ...]) -> bool:
    return len(color) == 3 and color[0] > 0.8 and color[1] < 0.15 and color[2] < 0.15


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


class PdfProbe:
    """The rendered PDF, read back in millimetres from the top left of each page."""

    def __init__(self, pdf: bytes, name: str = "document") -> None:
        self.pdf = pdf
        self.name = name
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            self.sizes = [(float(p.width) * MM, float(p.height) * MM) for p in document.pages]
            self.chars = [[self._char(c, p) for c in p.chars] for p in document.pages]
            self.rules = [[self._rule(r) for r in p.rects] for p in document.pages]
        self.reader = PdfReader(io.BytesIO(pdf))

    @staticmethod
    def _char(c: dict[str, Any], page: Any) -> Char:
        color = tuple(float(v) for v in (c["non_stroking_color"] or ()))
        baseline = (float(page.height) - float(c["matrix"][5])) * MM
        return Char(c["text"], c["x0"] * MM, c["x1"] * MM, baseline, round(float(c["size"]), 1), color, c["fontname"])

    @staticmethod
    def _rule(r: dict[str, Any]) -> Rule:
        color = tuple(float(v) for v in (r["non_stroking_color"] or ()))
        return Rule(r["x0"] * MM, r["top"] * MM, r["width"] * MM, r["height"] * MM, color)

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    def lines(self, page: int, size: float = 16.0) -> list[list[Char]]:
        """Characters of one type size grouped by baseline, top to bottom, each line left to right."""
        rows: dict[float, list[Char]] = {}
        for char in self.chars[page]:
            if abs(char.size - size) < 0.2 and not char.text.isspace():
                rows.setdefault(round(char.baseline, 1), []).append(char)
        return [sorted(rows[key], key=lambda c: c.x0) for key in sorted(rows)]

    def text(self, page: int) -> str:
        return "".join(c.text for c in self.chars[page])

    def raster(self, page: int, dpi: int = 150) -> Image.Image:
        """The page as pixels, drawn by poppler (not by the library that wrote it)."""
        out = subprocess.run(
            [
                pdftoppm(),
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page + 1),
                "-l",
                str(page + 1),
                "-",
            ],
            input=self.pdf,
            capture_output=True,
            check=True,
        ).stdout
        return Image.open(io.BytesIO(out)).convert("RGB")

    def xmp(self) -> str:
        metadata = self.reader.trailer["/Root"]["/Metadata"].get_object()
        return metadata.get_data().decode("utf-8")

    def font_descriptors(self) -> Iterator[tuple[str, Any]]:
        for page in self.reader.pages:
            fonts = page["/Resources"].get_object().get("/Font", {})
            for ref in fonts.values():
                font = ref.get_object()
                for descendant in font.get("/DescendantFonts", [font]):
                    descendant = descendant.get_object()
                    yield str(descendant["/BaseFont"]), descendant["/FontDescriptor"].get_object()


def ink_rows(
    image: Image.Image,
    dpi: int,
    box_mm: tuple[float, float, float, float],
    test: Callable[[tuple[int, int, int]], bool],
) -> list[float]:
    """Rows (mm from the page top) inside ``box_mm`` (x0, top, x1, bottom) with a pixel passing ``test``."""
    px = dpi / 25.4
    x0, top, x1, bottom = (round(v * px) for v in box_mm)
    pixels = image.load()
    rows = []
    for y in range(max(top, 0), min(bottom, image.height)):
        if any(test(pixels[x, y]) for x in range(max(x0, 0), min(x1, image.width))):
            rows.append(y / px)
    return rows


def red_pixel(p: tuple[int, int, int]) -> bool:
    return p[0] > 170 and p[1] < 90 and p[2] < 90


def dark_pixel(p: tuple[int, int, int]) -> bool:
    return max(p) < 110


NUMBER_RE = re.compile(r"^—\s*(\d+)\s*—$")
