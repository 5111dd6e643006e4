"""Use cases of attachments: check an upload's type, attach it to a document, remove it, list them.

Who may change a document's attachments: its drafter while it is a draft (拟稿), otherwise whoever holds an open
task on it right now (or acts for that holder under a 委托) — and nobody once it is sealed: the seal signs the
attachment digests, so from 用印 on the set is frozen. The check runs twice: once before the upload is streamed (so
nobody uploads 100 MB to be refused) and again under the document's row lock, the same lock 用印 takes, so an
attachment can never slip in between the seal's reading of the attachments and its signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.attachments.blobs import BlobStore, ReceivedFile
from docflow.attachments.filetypes import KINDS, FileKind, RefusedFile, check_extension, classify_zip, sniff
from docflow.attachments.models import DocumentAttachment
from docflow.outgoing.access import can_read
from docflow.outgoing.directory import delegations_in_force
from docflow.outgoing.models import Document, DocumentTask
from docflow.rules.delegation import may_act_for
from docflow.rules.workflow_state import DocState, TaskStatus
from oa.auth.principal import Principal
from oa.errors import Conflict, FieldError, Forbidden, NotFound, UnsupportedMediaType
from oa.uow import UnitOfWork

# States in which the attachments may still change (before 用印 has signed them).
_OPEN_STATES = frozenset({
    DocState.DRAFT, DocState.IN_REVIEW, DocState.COUNTERSIGNING, DocState.AWAITING_SIGNOFF, DocState.RECHECK,
    DocState.REGISTERING, DocState.SEALING,
})
MAX_ATTACHMENTS = 50


async def readable_document(session: AsyncSession, me: Principal, document_id: int) -> Document:
    document = await session.get(Document, document_id)
    if document is None:
        raise NotFound(f"公文 {document_id} 不存在")
    if not await can_read(session, me, document):
        raise Forbidden("无权查看此公文")
    return document


async def require_may_change(session: AsyncSession, me: Principal, document: Document, now: datetime) -> None:
    """Refuse unless `me` may add or remove attachments of `document` now (see the module docstring)."""
    if document.sealed_at is not None or document.state not in _OPEN_STATES:
        raise Conflict("公文已用印、已核发或已撤销，附件不能再改动")
    if document.state is DocState.DRAFT and document.drafter_id == me.person_id:
        return
    holders = (
        await session.execute(
            select(DocumentTask.holder_id).where(DocumentTask.document_id == document.id,
                                                 DocumentTask.status == TaskStatus.OPEN)
        )
    ).scalars().all()
    delegations = await delegations_in_force(session, now)
    if any(may_act_for(str(me.person_id), str(holder), delegations, now) for holder in holders):
        return
    raise Forbidden("只有拟稿人（拟稿时）或当前办理人可以改动附件")


async def check_type(store: BlobStore, received: ReceivedFile, filename: str) -> FileKind:
    """The kind of the received bytes, or UnsupportedMediaType saying what is accepted."""
    try:
        kind = sniff(received.head)
        if kind is None:
            kind = classify_zip(await store.zip_names(received.path))
        check_extension(filename, kind)
    except RefusedFile as exc:
        raise UnsupportedMediaType(str(exc), errors=[FieldError("file", str(exc))]) from exc
    return kind


async def add_attachment(
    uow: UnitOfWork, me: Principal, document_id: int, received: ReceivedFile, kind: FileKind, *, filename: str,
    title: str, store: BlobStore,
) -> DocumentAttachment:
    """Attach a received, type-checked file. The blob is published only once the change is certain to be allowed."""
    session = uow.session
    document = (
        await session.execute(select(Document).where(Document.id == document_id).with_for_update())
    ).scalar_one_or_none()
    if document is None:
        raise NotFound(f"公文 {document_id} 不存在")
    await require_may_change(session, me, document, uow.now)
    existing = await attachments_of(session, document.id)
    if any(a.sha256 == received.digests.sha256 for a in existing):
        raise Conflict("同一文件已作为本公文的附件上传过", errors=[FieldError("file", "重复的附件")])
    if len(existing) >= MAX_ATTACHMENTS:
        raise Conflict(f"一份公文最多 {MAX_ATTACHMENTS} 个附件")
    await store.publish(received)
    attachment = DocumentAttachment(
        document_id=document.id, title=title, filename=filename, media_type=KINDS[kind].media_type,
        size=received.digests.size, sha256=received.digests.sha256, sm3=received.digests.sm3,
        uploaded_by_id=me.person_id, uploaded_at=uow.now,
    )
    session.add(attachment)
    try:
        await session.flush()
    except IntegrityError as exc:  # the (document, sha256) constraint, should a racing upload slip past the lock
        raise Conflict("同一文件已作为本公文的附件上传过") from exc
    uow.audit("docflow.attachment.add", target_type="document", target_id=document.id, unit_id=document.unit_id,
              detail={"attachment_id": attachment.id, "title": title, "filename": filename, "size": attachment.size,
                      "sha256": attachment.sha256, "sm3": attachment.sm3, "media_type": attachment.media_type})
    return attachment


async def remove_attachment(uow: UnitOfWork, me: Principal, document_id: int, attachment_id: int) -> None:
    """Detach a file from the document. The blob stays: other documents may share the same content."""
    session = uow.session
    document = (
        await session.execute(select(Document).where(Document.id == document_id).with_for_update())
    ).scalar_one_or_none()
    if document is None:
        raise NotFound(f"公文 {document_id} 不存在")
    if not await can_read(session, me, document):
        raise Forbidden("无权查看此公文")
    attachment = await session.get(DocumentAttachment, attachment_id)
    if attachment is None or attachment.document_id != document.id:
        raise NotFound(f"附件 {attachment_id} 不存在")
    await require_may_change(session, me, document, uow.now)
    await session.execute(delete(DocumentAttachment).where(DocumentAttachment.id == attachment.id))
    uow.audit("docflow.attachment.remove", target_type="document", target_id=document.id, unit_id=document.unit_id,
              detail={"attachment_id": attachment_id, "title": attachment.title, "sha256": attachment.sha256})


async def attachments_of(session: AsyncSession, document_id: int) -> Sequence[DocumentAttachment]:
    """A document's attachments in the order they were attached (the order of 附件说明)."""
    return (
        await session.execute(
            select(DocumentAttachment).where(DocumentAttachment.document_id == document_id)
            .order_by(DocumentAttachment.id)
        )
    ).scalars().all()
