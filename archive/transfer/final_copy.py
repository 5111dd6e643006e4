"""The 主文档 of a package: the sealed final copy of a dispatched document, as PDF/A bytes.

The copy rendered at 用印 (`rendered_copies` rows, files under `OA_DATA_DIR/rendered/<sha256>.pdf`) is used,
after checking its bytes. For a document sealed before final copies were stored, the copy is rendered here from
the stored content with `docflow.render` (GB/T 9704 layout, PDF/A-2b); that fallback prints no seal picture, the
seal itself being the signature kept with the document.
Rendering is CPU-bound: call `render_final_copy` from a worker thread.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.models import Document
from docflow.render.fonts import FontConfig
from docflow.render.model import UPWARD_DOC_TYPES, BodyBlock, RenderDocument
from docflow.render.pdf import render_pdf
from docflow.rendering.models import RenderedCopy
from docflow.rendering.store import RenderedStore, StoredCopyDamaged, StoredCopyMissing
from docflow.rules.body import Block, heading_marker, heading_numbers
from oa.errors import Conflict

CHINA = ZoneInfo("Asia/Shanghai")


def china_date(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(CHINA).date() if moment is not None else None


def written_date(document: Document) -> dt.date:
    """成文日期: the content's own date, else the day of 签发, else the day of 核发 (China time)."""
    written = document.content.get("written_date")
    if written:
        return dt.date.fromisoformat(str(written))
    signoff = (document.flow or {}).get("signoff") or {}
    if signoff.get("at"):
        at = dt.datetime.fromisoformat(str(signoff["at"]))
        return china_date(at if at.tzinfo else at.replace(tzinfo=dt.UTC)) or dt.date.today()
    return china_date(document.dispatched_at or document.updated_at) or dt.date.today()


def _names(recipients: Sequence[Mapping[str, Any]] | None) -> list[str]:
    return [str(r["name"]) for r in recipients or () if r.get("name")]


def render_document(document: Document, signer_names: tuple[str, ...],
                    attachment_titles: tuple[str, ...]) -> RenderDocument:
    content = document.content
    doc_type = str(content["doc_type"])
    blocks = [Block(int(b["level"]), str(b["text"])) for b in content.get("body") or ()]
    body = tuple(BodyBlock(b.level, b.text if b.level == 0 else heading_marker(b.level, n) + b.text)
                 for b, n in zip(blocks, heading_numbers(blocks), strict=True))
    letter = doc_type == "函"
    main = _names(content.get("main_recipients"))
    copy = _names(content.get("copy_recipients"))
    printer = str(content.get("printing_organ") or "") or None
    return RenderDocument(
        doc_type=doc_type,
        organ_mark=str(content["issuer_mark"]).removesuffix("文件") if letter else str(content["issuer_mark"]),
        title=str(content["title"]),
        issuer_signature="\u3000".join(str(n) for n in content.get("issuer_names") or ()),
        date=written_date(document),
        body=body,
        doc_number=document.doc_number,
        main_recipients="、".join(main) + "：" if main else "",
        classification=content.get("classification") or None,
        classification_period=content.get("secrecy_period") or None,
        urgency=content.get("urgency") or None,
        signers=signer_names if doc_type in UPWARD_DOC_TYPES else (),
        attachment_notes=attachment_titles,
        note=str(content.get("notes") or "") or None,
        cc="、".join(copy) or None,
        printer=printer,
        print_date=(china_date(document.sealed_at) or written_date(document)) if printer else None,
        letter_format=letter,
    )


def render_final_copy(document: Document, signer_names: tuple[str, ...], attachment_titles: tuple[str, ...],
                      environ: Mapping[str, str] | None = None) -> bytes:
    return render_pdf(render_document(document, signer_names, attachment_titles),
                      FontConfig.from_environ(os.environ if environ is None else environ))


async def stored_final_copy(session: AsyncSession, document_id: int, data_dir: Path) -> bytes | None:
    """The copy rendered at 用印 and in force (the latest row), its bytes checked against the row."""
    row = (await session.execute(
        select(RenderedCopy).where(RenderedCopy.document_id == document_id)
        .order_by(RenderedCopy.id.desc()).limit(1))).scalar_one_or_none()
    if row is None:
        return None
    try:
        return await to_thread.run_sync(RenderedStore(data_dir).read_checked, row.sha256, row.size)
    except (StoredCopyMissing, StoredCopyDamaged) as exc:
        raise Conflict(f"正式文本无法归档：{exc}") from exc
