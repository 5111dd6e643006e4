"""The rendered file is an archival PDF: PDF/A identification in its XMP, every font embedded and subset, and
a preview clearly marked as such."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable

import pytest
from render_probe import PdfProbe
from render_samples import opinion

from docflow.render.fontfiles import FontSet
from docflow.render.pdf import render_with_fonts

Render = Callable[[str], PdfProbe]


@pytest.mark.parametrize("name", ["opinion", "letter", "attachments"])
def test_the_xmp_metadata_declares_pdfa_2b(rendered: Render, name: str) -> None:
    probe = rendered(name)
    assert probe.pdf.startswith(b"%PDF-1.7")
    xmp = probe.xmp()
    part = re.search(r"pdfaid:part(?:>|=\")\s*(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")\s*([ABU])", xmp)
    assert part and part.group(1) == "2"
    assert conformance and conformance.group(1) == "B"
    assert "/OutputIntents" in probe.reader.trailer["/Root"]


@pytest.mark.parametrize("name", ["opinion", "letter"])
def test_the_xmp_metadata_stream_is_unfiltered_so_any_reader_finds_the_pdfa_identification(
    rendered: Render, name: str
) -> None:
    """ISO 19005-2 6.6.2.1: the document's metadata stream carries no /Filter."""
    probe = rendered(name)
    metadata = probe.reader.trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in metadata
    assert b"pdfaid:part" in metadata.get_data()


@pytest.mark.parametrize("name", ["opinion", "request", "letter"])
def test_every_font_is_embedded_and_subset(rendered: Render, name: str) -> None:
    probe = rendered(name)
    fonts = list(probe.font_descriptors())
    assert len(fonts) >= 3
    for base_font, descriptor in fonts:
        assert re.match(r"^/[A-Z]{6}\+", base_font), f"{base_font} is not a subset"
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), base_font


def test_pdffonts_agrees_that_every_font_is_embedded(rendered: Render, tmp_path: object) -> None:
    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "pdffonts (Debian poppler-utils) is needed"
    probe = rendered("opinion")
    out = subprocess.run([pdffonts, "-"], input=probe.pdf, capture_output=True, check=False, text=False)
    if out.returncode != 0:  # older poppler cannot read standard input: use a file
        from pathlib import Path

        path = Path(str(tmp_path)) / "opinion.pdf"
        path.write_bytes(probe.pdf)
        out = subprocess.run([pdffonts, str(path)], capture_output=True, check=True)
    rows = out.stdout.decode().splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub = row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), row


def test_a_preview_without_a_number_is_marked_and_shows_no_seal(font_set: FontSet) -> None:
    from dataclasses import replace

    draft = replace(opinion(), doc_number=None)
    probe = PdfProbe(render_with_fonts(draft, font_set, preview=True), "preview")
    for page in range(probe.page_count):
        marks = [c for c in probe.chars[page] if c.size > 100]
        assert "".join(c.text for c in marks) == "预览稿"
    assert "象政发" not in probe.text(0)
    assert all(not page.images for page in probe.reader.pages)
