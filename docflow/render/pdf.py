"""Rendering a laid-out 公文 to PDF/A-2b with WeasyPrint, fonts embedded and subset.

WeasyPrint reads only what this module allows: the data: URI of the seal and the configured font files.
Nothing is fetched from the network.
"""

from __future__ import annotations

import gc
import warnings
from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from docflow.render.errors import RenderError
from docflow.render.fontfiles import FontSet, resolve_fonts
from docflow.render.fonts import FontConfig
from docflow.render.html import pages_to_html
from docflow.render.layout import lay_out
from docflow.render.model import RenderDocument
from docflow.render.pdfa import with_unfiltered_xmp

PDF_VARIANT = "pdf/a-2b"


def render_pdf(doc: RenderDocument, fonts: FontConfig, *, preview: bool = False) -> bytes:
    """The document as PDF/A-2b bytes; ``preview`` marks every page 预览稿 and allows a missing 文号."""
    font_set = resolve_fonts(fonts)
    return render_with_fonts(doc, font_set, preview=preview)


def render_with_fonts(doc: RenderDocument, fonts: FontSet, *, preview: bool = False) -> bytes:
    pages = lay_out(doc, fonts, preview=preview)
    allowed = {face.path.as_uri() for faces in fonts.faces.values() for face in faces if face.from_file}
    html = pages_to_html(pages, doc.title)
    document = HTML(string=html, url_fetcher=_LocalOnlyFetcher(allowed))
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB ICC profile for the PDF/A output intent and never closes it; the file is
        # only read, so the ResourceWarning at its collection is noise. Collect it here, inside the filter.
        warnings.simplefilter("ignore", ResourceWarning)
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
        gc.collect()
    if not isinstance(pdf, bytes):  # write_pdf returns bytes when no target is given
        raise RenderError("PDF 生成失败")
    return with_unfiltered_xmp(pdf)


class _LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Lets WeasyPrint read data: URIs and the configured font files, and nothing else."""

    def __init__(self, allowed: set[str]) -> None:
        super().__init__(allowed_protocols=("data", "file"), fail_on_errors=True)
        self._allowed = allowed

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not (url.startswith("data:") or url in self._allowed):
            raise RenderError(f"渲染时不允许读取外部资源：{url[:80]}")
        return super().fetch(url, headers)
