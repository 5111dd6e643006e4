"""Rendering of official documents (公文) in the national layout GB/T 9704-2012 to archival PDF (PDF/A-2b).

Public entry points: :class:`RenderDocument` (what is printed), :class:`FontConfig` (which fonts play the
four roles), :func:`docflow.render.pdf.render_pdf` (document -> PDF bytes) and
:func:`docflow.render.cli.render_file` (JSON file -> PDF file, for ``oa render``).
"""

from docflow.render.errors import FontError, RenderError
from docflow.render.fonts import FontConfig, FontRole
from docflow.render.model import Attachment, BodyBlock, RenderDocument

__all__ = [
    "Attachment",
    "BodyBlock",
    "FontConfig",
    "FontError",
    "FontRole",
    "RenderDocument",
    "RenderError",
]
