"""Writing laid-out pages as HTML and CSS for WeasyPrint: one absolutely positioned element per box.

CSS places a line box by its top, not its baseline, and Pango centres a font's hhea ascent plus descent in the
line height. Every text box therefore gets ``line-height`` equal to its font size and a top computed back from
the baseline the layout chose, with the ascent and descent of the very face that will draw it.
"""

from __future__ import annotations

import base64
from html import escape

from docflow.render.boxes import ImageBox, Page, RuleBox, TextBox, Watermark
from docflow.render.fontfiles import Face
from docflow.render.standard import PAGE_HEIGHT, PAGE_WIDTH, WATERMARK_GREY, pt

_CSS = f"""
@page {{ size: {PAGE_WIDTH}mm {PAGE_HEIGHT}mm; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
.page {{ position: relative; width: {PAGE_WIDTH}mm; height: {PAGE_HEIGHT}mm; overflow: hidden;
         break-after: page; }}
.page:last-child {{ break-after: auto; }}
.t {{ position: absolute; white-space: pre; margin: 0; padding: 0; font-style: normal;
      font-kerning: none; transform-origin: 0 0; }}
.r, .i {{ position: absolute; margin: 0; padding: 0; }}
.w {{ position: absolute; left: 0; top: 0; width: {PAGE_WIDTH}mm; height: {PAGE_HEIGHT}mm; display: flex;
      align-items: center; justify-content: center; }}
.w span {{ transform: rotate(-35deg); color: {WATERMARK_GREY}; white-space: pre; }}
"""


def pages_to_html(pages: list[Page], title: str) -> str:
    faces = {box.face for page in pages for box in page.texts}
    faces |= {page.watermark.face for page in pages if page.watermark}
    font_faces = "".join(
        f'@font-face {{ font-family: "{face.css_family}"; src: url("{face.path.as_uri()}"); }}\n'
        for face in sorted(faces, key=lambda f: f.css_family)
        if face.from_file
    )
    body = "".join(_page(page) for page in pages)
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{font_faces}{_CSS}</style></head><body>{body}</body></html>"
    )


def _page(page: Page) -> str:
    parts = ['<div class="page">']
    if page.watermark is not None:
        parts.append(_watermark(page.watermark))
    parts.extend(_rule(rule) for rule in page.rules)
    parts.extend(_image(image) for image in page.images)
    parts.extend(_text(text) for text in page.texts)
    parts.append("</div>")
    return "".join(parts)


def _font(face: Face) -> str:
    weight = 700 if face.bold else 400
    return f'font-family: "{face.css_family}"; font-weight: {weight};'


def _text(box: TextBox) -> str:
    size = pt(box.size_pt)
    # With line-height = size, Pango puts the baseline (size - (A + D) * size) / 2 + A * size below the top.
    top = box.baseline - size * (1 + box.face.ascent - box.face.descent) / 2
    scale = f" transform: scaleX({box.scale_x:.5f});" if box.scale_x != 1.0 else ""
    style = (
        f"left: {box.x:.4f}mm; top: {top:.4f}mm; font-size: {size:.4f}mm; line-height: {size:.4f}mm; "
        f"letter-spacing: {box.letter_spacing:.4f}mm; color: {box.color}; {_font(box.face)}{scale}"
    )
    return f'<div class="t" style="{escape(style)}">{escape(box.text)}</div>'


def _rule(rule: RuleBox) -> str:
    style = (
        f"left: {rule.x:.4f}mm; top: {rule.y:.4f}mm; width: {rule.width:.4f}mm; "
        f"height: {rule.thickness:.4f}mm; "
        f"background: {rule.color};"
    )
    return f'<div class="r" style="{style}"></div>'


def _image(image: ImageBox) -> str:
    data = base64.b64encode(image.png).decode("ascii")
    style = f"left: {image.x:.4f}mm; top: {image.y:.4f}mm; width: {image.width:.4f}mm; height: {image.height:.4f}mm;"
    return f'<img class="i" alt="" style="{style}" src="data:image/png;base64,{data}">'


def _watermark(mark: Watermark) -> str:
    style = escape(f"font-size: 40mm; {_font(mark.face)}")
    return f'<div class="w"><span style="{style}">{escape(mark.text)}</span></div>'
