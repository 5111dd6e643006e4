"""HTTP routes of rendering: the 预览稿 of the current version and the sealed final copy, both as PDF."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from docflow.rendering import service
from oa.database import utcnow
from oa.web.api import ApiRouter, Call

router = ApiRouter()
TAGS = ("发文",)
PDF = "application/pdf"


@router.route("GET", "/api/documents/{document_id:int}/preview.pdf", summary="预览稿（当前版本，PDF）", tags=TAGS,
              media_type=PDF, extra_responses={404: "公文不存在", 422: "正文或要素无法排版（说明要改什么）"})
async def preview_pdf(call: Call[Any, Any]) -> Response:
    """The current version laid out per GB/T 9704-2012, marked 预览稿 on every page, without the seal."""
    document_id = call.path_int("document_id")
    async with call.services.sessions() as session:
        document = await service.prepare_preview(session, call.me, document_id, utcnow())
    pdf = await service.render_preview(call.services.settings, document)  # the connection is back in the pool
    return _pdf(pdf, f"document-{document_id}-preview.pdf", cache="no-store")


@router.route("GET", "/api/documents/{document_id:int}/rendered.pdf", summary="正式文本（用印后，PDF/A）", tags=TAGS,
              media_type=PDF, extra_responses={404: "公文不存在或尚未用印", 409: "存储的正式文本已损坏或缺失"})
async def rendered_pdf(call: Call[Any, Any]) -> Response:
    """The sealed final copy made at 用印, served only after its SHA-256 matches the one recorded then."""
    document_id = call.path_int("document_id")
    async with call.services.sessions() as session:
        copy = await service.latest_copy(session, call.me, document_id)
    pdf = await service.read_copy(call.services.settings, copy)
    response = _pdf(pdf, f"document-{document_id}.pdf", cache="no-cache")
    response.headers["ETag"] = f'"{copy.sha256}"'
    return response


def _pdf(pdf: bytes, filename: str, *, cache: str) -> Response:
    # private: a document is never kept by shared caches; the preview changes with every save.
    return Response(pdf, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{filename}"',
                                                  "Cache-Control": f"private, {cache}"})
