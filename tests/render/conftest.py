"""Fixtures for the renderer's tests: the fonts of this machine and a per-session cache of rendered PDFs, each
also written as PNG pages to ``artifacts/render/`` for people to look at.

The helper modules beside this file have names unique to this folder (``render_samples``, ``render_probe``)
and are made importable here, since tests run with ``--import-mode=importlib``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from render_probe import PdfProbe, save_artifacts
from render_samples import DOCUMENTS

from docflow.render import FontConfig
from docflow.render.fontfiles import FontSet, resolve_fonts
from docflow.render.pdf import render_with_fonts


@pytest.fixture(scope="session")
def font_set() -> FontSet:
    return resolve_fonts(FontConfig.defaults())


@pytest.fixture(scope="session")
def rendered(font_set: FontSet) -> Callable[[str], PdfProbe]:
    """Render one of the sample documents by name (once per session) and read it back."""
    cache: dict[str, PdfProbe] = {}

    def get(name: str) -> PdfProbe:
        if name not in cache:
            pdf = render_with_fonts(DOCUMENTS[name](), font_set)
            save_artifacts(name, pdf)
            cache[name] = PdfProbe(pdf, name)
        return cache[name]

    return get
