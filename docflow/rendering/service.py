"""Use cases of rendering: the preview of the current version, the final copy made at 用印, and serving it.

- `prepare_preview` + `render_preview`: anyone who may read a document gets its current content laid out as a
  预览稿 (marked on every page, no seal). Prepare reads the database; render runs after the session is closed, so a
  connection is never held for the second or two of layout.
- `make_final_copy`: called by the 用印 hook inside the action's transaction (the document row is locked). It
  renders the sealed copy with the unit's seal picture, stores it content-addressed, records a `RenderedCopy`
  and writes the page count (页码) and 印发日期 into the content, so the seal signs what was printed. If the copy
  cannot be laid out, 用印 is refused with the reason and nothing changes; a file written for a transaction that
  is then rolled back stays behind unreferenced, which is harmless (its name is its digest).
- `final_copy`: the stored copy, its digest checked before it is served.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from datetime import datetime

from anyio import to_thread
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.attachments.service import attachments_of
from docflow.outgoing.access import can_read
from docflow.outgoing.directory import names_of
from docflow.outgoing.models import Document
from docflow.render.errors import RenderError
from docflow.render.model import RenderDocument
from docflow.render.pdf import render_with_fonts
from docflow.rendering.mapping import CHINA, RenderFacts, signoff_signer_id, to_render_document
from docflow.rendering.models import RenderedCopy
from docflow.rendering.seal_image import SealImages
from docflow.rendering.store import RenderedStore, StoredCopyDamaged, StoredCopyMissing
from docflow.rendering.workers import fonts_for, run_limited
from oa.auth.principal import Principal
from oa.errors import Conflict, Forbidden, InvalidInput, NotFound
from oa.org.models import Unit
from oa.settings import Settings
from oa.uow import UnitOfWork


class Unrenderable(InvalidInput):
    """The document's content cannot be laid out (422); the message says what to change."""

    code = "unrenderable"
    title = "无法排版"


class RenderedCopyDamaged(Conflict):
    """The stored final copy is missing or is not the file recorded at 用印 (409)."""

    code = "rendered-copy-damaged"
    title = "正式文本已损坏"


@dataclass(frozen=True)
class StoredRendering:
    sha256: str
    size: int
    page_count: int


async def readable(session: AsyncSession, me: Principal, document_id: int) -> Document:
    document = await session.get(Document, document_id)
    if document is None:
        raise NotFound(f"公文 {document_id} 不存在")
    if not await can_read(session, me, document):
        raise Forbidden("无权查看此公文")
    return document


async def prepare_preview(session: AsyncSession, me: Principal, document_id: int, now: datetime) -> RenderDocument:
    """What a preview of the document's current version prints (read access checked)."""
    document = await readable(session, me, document_id)
    titles = tuple(a.title for a in await attachments_of(session, document.id))
    return to_render_document(document, RenderFacts(today=now.astimezone(CHINA).date(), attachment_titles=titles),
                              preview=True)


async def render_preview(settings: Settings, document: RenderDocument) -> bytes:
    def work() -> bytes:
        return render_with_fonts(document, fonts_for(settings), preview=True)

    try:
        return await run_limited(settings, work)
    except RenderError as exc:
        raise Unrenderable(f"预览稿无法排版：{exc}") from exc


async def make_final_copy(uow: UnitOfWork, document: Document, settings: Settings) -> RenderedCopy:
    """Render, store and record the sealed final copy of a document being sealed (its row locked by 用印)."""
    session = uow.session
    unit = await session.get(Unit, document.unit_id)
    assert unit is not None  # a document's unit is a foreign key
    signer = signoff_signer_id(document.flow or {})
    names = await names_of(session, [signer]) if signer is not None else {}
    sealed_on = uow.now.astimezone(CHINA).date()
    facts = RenderFacts(
        today=sealed_on, print_date=sealed_on,
        signer_names=tuple(names[s] for s in [signer] if s is not None and s in names),
        attachment_titles=tuple(a.title for a in await attachments_of(session, document.id)),
    )
    unsealed = to_render_document(document, facts, preview=False)
    seals, store = SealImages(settings.data_dir), RenderedStore(settings.data_dir)
    unit_code, unit_name = unit.code, unit.name  # plain values: the worker thread must not touch ORM objects

    def work() -> StoredRendering:
        fonts = fonts_for(settings)
        sealed = dataclasses.replace(unsealed, seal_image=seals.for_unit(unit_code, unit_name, fonts))
        pdf = render_with_fonts(sealed, fonts, preview=False)
        return StoredRendering(store.put(pdf), len(pdf), len(PdfReader(io.BytesIO(pdf)).pages))

    try:
        stored = await run_limited(settings, work)
    except RenderError as exc:
        raise Unrenderable(f"不能用印：正式文本无法排版：{exc}") from exc
    # A new dict, not an in-place change: the JSON column only notices reassignment.
    document.content = {**document.content, "page_count": stored.page_count,
                        "printing_date": sealed_on.isoformat()}
    copy = RenderedCopy(document_id=document.id, sha256=stored.sha256, size=stored.size,
                        page_count=stored.page_count, rendered_at=uow.now)
    session.add(copy)
    await session.flush()
    return copy


async def latest_copy(session: AsyncSession, me: Principal, document_id: int) -> RenderedCopy:
    """The record of the final copy in force (read access checked); NotFound before 用印."""
    document = await readable(session, me, document_id)
    copy = (
        await session.execute(
            select(RenderedCopy).where(RenderedCopy.document_id == document.id)
            .order_by(RenderedCopy.id.desc()).limit(1)
        )
    ).scalar_one_or_none()
    if copy is None:
        raise NotFound(f"公文 {document_id} 尚未用印，还没有正式文本；用印前请使用预览稿（preview.pdf）")
    return copy


async def read_copy(settings: Settings, copy: RenderedCopy) -> bytes:
    """The stored bytes of ``copy``, refused unless they are exactly the ones recorded at 用印."""
    store = RenderedStore(settings.data_dir)
    try:
        return await to_thread.run_sync(store.read_checked, copy.sha256, copy.size)
    except (StoredCopyMissing, StoredCopyDamaged) as exc:
        raise RenderedCopyDamaged(f"{exc}。不能提供这份正式文本，请联系系统管理员从备份恢复") from exc
