"""HTTP routes of attachments: upload (the raw body is the file), list, download and remove.

Upload: `POST /api/documents/{id}/attachments?filename=<name>&title=<title>` with the file's bytes as the body
(any Content-Type; the type is decided from the bytes). A raw body rather than multipart: it streams straight to
disk with no parser in between, and the UTF-8 file name travels %-encoded in the query string, unmangled.
"""

from __future__ import annotations

import base64
import unicodedata
from typing import Any
from urllib.parse import quote

from starlette.responses import FileResponse

from docflow.attachments import service
from docflow.attachments.blobs import BlobStore, too_large_message
from docflow.attachments.filetypes import HEAD_BYTES, RefusedFile, check_filename
from docflow.attachments.models import DocumentAttachment
from docflow.attachments.schemas import AttachmentList, AttachmentOut, UploadQuery
from oa.database import utcnow
from oa.errors import FieldError, InvalidInput, NotFound, TooLarge, UnsupportedMediaType
from oa.web.api import ApiRouter, Call

router = ApiRouter()
TAGS = ("附件",)


def clean_filename(raw: str) -> str:
    """The last path component, NFC, without control characters: what the user sees and downloads."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not name or name in {".", ".."} or any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidInput("文件名无效", errors=[FieldError("filename", "文件名不能为空或含控制字符")])
    return name


def default_title(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename[1:] else filename
    return stem[:200]


def attachment_out(row: DocumentAttachment) -> AttachmentOut:
    return AttachmentOut.model_validate(row)


def attachment_notes(rows: list[DocumentAttachment]) -> list[str]:
    """附件说明 lines, numbered as `Elements.attachment_notes` numbers them for the printed document."""
    return [f"{i}. {a.title}" for i, a in enumerate(rows, start=1)]


@router.route("POST", "/api/documents/{document_id:int}/attachments", summary="上传附件（请求体即文件内容）",
              tags=TAGS, query=UploadQuery, response=AttachmentOut, status=201, raw_body=("application/octet-stream",),
              extra_responses={404: "公文不存在", 409: "公文已用印或重复的附件", 413: "附件过大",
                               415: "文件类型不允许（可执行程序、宏、压缩包…）"})
async def upload(call: Call[Any, UploadQuery]) -> AttachmentOut:
    filename = clean_filename(call.query.filename)
    title = (call.query.title or default_title(filename)).strip()
    try:
        check_filename(filename)
    except RefusedFile as exc:
        raise UnsupportedMediaType(str(exc), errors=[FieldError("filename", str(exc))]) from exc
    settings, document_id = call.services.settings, call.path_int("document_id")
    limit = settings.max_upload_bytes
    declared = call.request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge(too_large_message(limit))
    # Refuse early, before streaming: the same check is repeated under the row lock when attaching.
    async with call.services.sessions() as session:
        document = await service.readable_document(session, call.me, document_id)
        await service.require_may_change(session, call.me, document, utcnow())
    store = BlobStore(settings.data_dir)
    received = await store.receive(call.request.stream(), limit=limit, head_bytes=HEAD_BYTES)
    try:
        kind = await service.check_type(store, received, filename)
        async with call.uow() as uow:
            row = await service.add_attachment(uow, call.me, document_id, received, kind, filename=filename,
                                               title=title, store=store)
            out = attachment_out(row)
            await uow.commit()
    finally:
        await store.discard(received)  # a no-op once published; removes a refused upload
    return out


@router.route("GET", "/api/documents/{document_id:int}/attachments", summary="附件列表（含附件说明）", tags=TAGS,
              response=AttachmentList, extra_responses={404: "公文不存在"})
async def list_attachments(call: Call[Any, Any]) -> AttachmentList:
    async with call.services.sessions() as session:
        document = await service.readable_document(session, call.me, call.path_int("document_id"))
        rows = list(await service.attachments_of(session, document.id))
    return AttachmentList(items=[attachment_out(r) for r in rows], notes=attachment_notes(rows))


@router.route("GET", "/api/documents/{document_id:int}/attachments/{attachment_id:int}", summary="下载附件",
              tags=TAGS, media_type="application/octet-stream", extra_responses={404: "附件不存在"})
async def download(call: Call[Any, Any]) -> FileResponse:
    async with call.services.sessions() as session:
        document = await service.readable_document(session, call.me, call.path_int("document_id"))
        row = await session.get(DocumentAttachment, call.path_int("attachment_id"))
    if row is None or row.document_id != document.id:
        raise NotFound(f"附件 {call.path_int('attachment_id')} 不存在")
    path = BlobStore(call.services.settings.data_dir).path_of(row.sha256)
    if not path.is_file():
        raise NotFound(f"附件“{row.title}”的文件已不在存储中，请联系系统管理员")
    return FileResponse(path, media_type=row.media_type, headers={
        "Content-Disposition": content_disposition(row.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(row.sha256)).decode()}:",  # RFC 9530
    })


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback for old clients and the exact UTF-8 name in filename* (RFC 8187)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.route("DELETE", "/api/documents/{document_id:int}/attachments/{attachment_id:int}", summary="删除附件",
              tags=TAGS, status=204, extra_responses={404: "附件不存在", 409: "公文已用印"})
async def remove(call: Call[Any, Any]) -> None:
    async with call.uow() as uow:
        await service.remove_attachment(uow, call.me, call.path_int("document_id"), call.path_int("attachment_id"))
        await uow.commit()

