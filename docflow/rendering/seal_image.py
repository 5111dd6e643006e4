"""The picture of a unit's seal (公章) printed on the final copy: a red ring, a five-pointed star in the middle and
the unit's name along the upper arc, each character turned to face the centre, as official seals are cut.

Drawn with Pillow from the unit's name and the font of the 小标宋 role (the 宋体 face seals are cut in), then kept
per unit in `OA_DATA_DIR/seals/<unit code>.png`. The name is written into the PNG's text chunk, so a unit renamed
since the picture was made gets a new one. The picture only decorates the copy: what proves the seal is the
signature recorded at 用印 (`docflow.seals`), and the image is printed only on the copy made at that moment.
Blocking (font loading, drawing, file I/O): call from a worker thread.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import uuid
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from docflow.render.errors import FontError
from docflow.render.fontfiles import FontSet
from docflow.render.fonts import FontRole

SIZE_PX = 600  # 42 mm printed: about 360 dpi, sharp on any office printer
SEAL_RED = (214, 0, 15, 255)
_NAME_KEY = "oa-unit-name"
_SAFE_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def draw_seal(name: str, fonts: FontSet) -> bytes:
    """A PNG (transparent background) of the round seal of the unit called ``name``."""
    if not name.strip():
        raise ValueError("a seal needs the unit's name")
    image = Image.new("RGBA", (SIZE_PX, SIZE_PX), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = SIZE_PX / 2
    radius = SIZE_PX / 2 - 6
    ring = round(SIZE_PX * 0.035)
    draw.ellipse((centre - radius, centre - radius, centre + radius, centre + radius), outline=SEAL_RED, width=ring)
    draw.polygon(_star_points(centre, centre, radius * 0.27), fill=SEAL_RED)
    _draw_arc_text(image, name.strip(), fonts, centre, radius - ring)
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_itxt(_NAME_KEY, name)
    image.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def _star_points(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(126))  # a regular five-pointed star
    points = []
    for k in range(10):
        r = outer if k % 2 == 0 else inner
        angle = math.radians(-90 + 36 * k)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def _draw_arc_text(image: Image.Image, name: str, fonts: FontSet, centre: float, inner_radius: float) -> None:
    """Each character on a tile, turned by its angle on the arc, pasted so its foot points at the centre."""
    count = len(name)
    # Short names spread over a narrower arc so they are not strung out; long ones use up to 250°.
    span = math.radians(min(250.0, 30.0 + 25.0 * count))
    text_radius = inner_radius * 0.77
    font_px = round(min(inner_radius * 0.36, text_radius * span / count * 0.92))
    for i, char in enumerate(name):
        angle = -span / 2 + span * (i + 0.5) / count  # 0 is straight up, clockwise positive
        tile = _glyph_tile(char, fonts, font_px)
        turned = tile.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC, expand=True)
        x = centre + text_radius * math.sin(angle) - turned.width / 2
        y = centre - text_radius * math.cos(angle) - turned.height / 2
        image.alpha_composite(turned, (round(x), round(y)))


def _glyph_tile(char: str, fonts: FontSet, font_px: int) -> Image.Image:
    face = fonts.face_for(FontRole.XIAOBIAOSONG, char) or fonts.face_for(FontRole.HEITI, char)
    if face is None:
        raise FontError(f"印章文字“{char}”（U+{ord(char):04X}）没有可用字体，无法生成印章图像")
    font = ImageFont.truetype(str(face.path), font_px, index=face.index)
    # Seal characters are cut heavy, tall and narrow: draw with a stroke, then squeeze the width.
    canvas = Image.new("RGBA", (round(font_px * 1.2), round(font_px * 1.2)), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((canvas.width / 2, canvas.height / 2), char, font=font, fill=SEAL_RED,
                                anchor="mm", stroke_width=max(1, font_px // 45), stroke_fill=SEAL_RED)
    return canvas.resize((round(canvas.width * 0.8), round(canvas.height * 1.05)), Image.Resampling.LANCZOS)


class SealImages:
    """The per-unit cache of seal pictures in `<data dir>/seals/`."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "seals"

    def for_unit(self, code: str, name: str, fonts: FontSet) -> bytes:
        if not _SAFE_CODE.fullmatch(code):
            raise ValueError(f"unit code {code!r} cannot name a file")
        path = self.root / f"{code}.png"
        cached = _read_if_current(path, name)
        if cached is not None:
            return cached
        png = draw_seal(name, fonts)
        self.root.mkdir(parents=True, exist_ok=True)
        partial = self.root / f".{code}.{uuid.uuid4().hex}.partial"
        try:
            partial.write_bytes(png)
            os.replace(partial, path)  # two nodes drawing at once both write a whole file; the last one stays
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise
        return png


def _read_if_current(path: Path, name: str) -> bytes | None:
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            drawn_for = image.info.get(_NAME_KEY)
    except (OSError, SyntaxError, ValueError):  # missing, or not a readable PNG: draw it again
        return None
    return data if drawn_for == name else None
