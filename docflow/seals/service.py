"""Use cases of the seal: sign a document at 用印, and check a sealed document against its seal.

`seal_document` runs inside the 用印 action's transaction (called by `docflow.outgoing.hooks.after_seal` after the
document row was locked and the action applied), so the seal record exists exactly when the action committed.
Before signing it re-reads every attachment from disk: a file damaged since upload is refused now, not discovered
at the archive. `verify_seal` recomputes the canonical form from the live rows and the bytes on disk and checks the
stored signature over it, so a change to the content, the number, the sign-off, an attachment row, an attachment's
bytes or the rendered final copy (its record or its PDF on disk) is reported, with what changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.attachments.blobs import BlobStore
from docflow.attachments.models import DocumentAttachment
from docflow.attachments.service import attachments_of
from docflow.outgoing.directory import names_of
from docflow.outgoing.models import Document
from docflow.rendering.models import RenderedCopy
from docflow.rendering.store import RenderedStore, StoredCopyDamaged, StoredCopyMissing
from docflow.rules.elements import Elements
from docflow.rules.elements_codec import InvalidElements, elements_from_dict
from docflow.seals.canonical import (
    AttachmentDigest,
    FinalCopy,
    SealIdentity,
    SignoffRecord,
    canonical_document,
    changed_parts,
    to_bytes,
)
from docflow.seals.keys import ALGORITHM, BadSealSignature, SealKeyError, SealKeyring
from docflow.seals.models import DocumentSeal
from oa.errors import Conflict
from oa.org.models import Unit
from oa.settings import Settings
from oa.uow import UnitOfWork


@dataclass(frozen=True)
class SealCheck:
    valid: bool
    reason: str
    sealed_by: str | None = None
    unit_code: str | None = None
    sealed_at: datetime | None = None
    key_id: str | None = None
    digest: str | None = None


async def seal_document(uow: UnitOfWork, document: Document, settings: Settings) -> DocumentSeal:
    """Sign the document's canonical form with its unit's seal key and record the seal."""
    session = uow.session
    unit = await session.get(Unit, document.unit_id)
    assert unit is not None  # a document's unit is a foreign key
    key = await to_thread.run_sync(SealKeyring(settings.keys_dir).load_or_create, unit.code)
    attachments = list(await attachments_of(session, document.id))
    problems = await _damaged(BlobStore(settings.data_dir), attachments)
    if problems:
        raise Conflict("不能用印：" + "；".join(problems) + "。请重新上传这些附件")
    identity = SealIdentity(unit.code, unit.name, key.kid)
    signed_at = uow.now.replace(microsecond=0)  # whole seconds: every database returns them unchanged
    try:
        form = canonical_document(_elements(document, attachments), _digests(attachments),
                                  await _signoff(session, document), identity, signed_at,
                                  await _final_copy(session, document.id))
    except InvalidElements as exc:
        raise Conflict(f"公文要素无法读取，不能用印：{exc}") from exc
    payload = to_bytes(form)
    record = DocumentSeal(
        document_id=document.id, unit_id=unit.id, unit_code=unit.code, seal_name=unit.name, key_id=key.kid,
        algorithm=ALGORITHM, sealed_by_id=uow.actor.person_id if uow.actor else None, signed_at=signed_at,
        digest=hashlib.sha256(payload).hexdigest(), canonical=payload.decode("utf-8"), signature=key.sign(payload),
    )
    session.add(record)
    await session.flush()
    return record


async def verify_seal(session: AsyncSession, document: Document, settings: Settings) -> SealCheck:
    record = (
        await session.execute(
            select(DocumentSeal).where(DocumentSeal.document_id == document.id).order_by(DocumentSeal.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if record is None:
        return SealCheck(False, "公文尚未用印")
    seen = SealCheck(False, "", sealed_by=record.seal_name, unit_code=record.unit_code, sealed_at=record.signed_at,
                     key_id=record.key_id, digest=record.digest)
    attachments = list(await attachments_of(session, document.id))
    try:
        form = canonical_document(
            _elements(document, attachments), _digests(attachments), await _signoff(session, document, record),
            SealIdentity(record.unit_code, record.seal_name, record.key_id), record.signed_at,
            await _final_copy(session, document.id),
        )
        key = await to_thread.run_sync(SealKeyring(settings.keys_dir).load, record.unit_code)
    except InvalidElements as exc:
        return replace(seen, reason=f"公文数据已损坏，无法核对印章：{exc}")
    except SealKeyError as exc:
        return replace(seen, reason=str(exc))
    if key is None:
        return replace(seen, reason=f"本节点没有单位 {record.unit_code} 的印章密钥，无法核对")
    if key.kid != record.key_id:
        return replace(seen, reason=f"单位 {record.unit_code} 的印章密钥已更换"
                                    f"（用印时 {record.key_id}，现为 {key.kid}），无法核对")
    try:
        key.verify(to_bytes(form), record.signature)
    except BadSealSignature as exc:
        return replace(seen, reason=_explain(record, form, str(exc)))
    problems = await _damaged(BlobStore(settings.data_dir), attachments)
    if problems:
        return replace(seen, reason="用印后附件文件被改动：" + "；".join(problems))
    copy_problem = await _final_copy_damaged(settings, form)
    if copy_problem:
        return replace(seen, reason=f"用印后正式文本被改动：{copy_problem}")
    return replace(seen, valid=True, reason="印章有效：用印后公文内容、发文字号和附件均未改动")


def _explain(record: DocumentSeal, form: dict[str, Any], failure: str) -> str:
    try:
        sealed = json.loads(record.canonical)
    except ValueError:
        sealed = {}
    parts = changed_parts(sealed, form) if isinstance(sealed, dict) else []
    if parts:
        return f"用印后公文已被改动：{'、'.join(parts)}"
    return f"印章签名无效：{failure}（签名记录可能被篡改）"


def _elements(document: Document, attachments: Sequence[DocumentAttachment]) -> Elements:
    data = {**document.content, "identifier": document.identifier, "doc_number": document.doc_number,
            "attachments": [{"title": a.title, "sha256": a.sha256} for a in attachments]}
    data.pop("seal", None)
    return elements_from_dict(data)


def _digests(attachments: Sequence[DocumentAttachment]) -> list[AttachmentDigest]:
    return [AttachmentDigest(a.title, a.filename, a.size, a.sha256, a.sm3) for a in attachments]


async def _signoff(session: AsyncSession, document: Document, sealed: DocumentSeal | None = None
                   ) -> SignoffRecord | None:
    """The 签发 record of the flow. The signer's name is the one at sealing time: renaming a person later must not
    break seals, so a check takes the name from the sealed form (a forged name there breaks the signature)."""
    raw = (document.flow or {}).get("signoff")
    if not raw:
        return None
    signer, by = int(raw["signer"]), int(raw["by"])
    name = _sealed_signer_name(sealed, signer) if sealed else None
    if name is None:
        name = (await names_of(session, [signer])).get(signer, "")
    return SignoffRecord(signer, name, by, str(raw.get("opinion", "")), datetime.fromisoformat(raw["at"]))


def _sealed_signer_name(sealed: DocumentSeal, signer: int) -> str | None:
    try:
        recorded = json.loads(sealed.canonical).get("signoff") or {}
    except (ValueError, AttributeError):
        return None
    name = recorded.get("signer_name") if isinstance(recorded, dict) else None
    return name if isinstance(name, str) and recorded.get("signer_id") == signer else None


async def _final_copy(session: AsyncSession, document_id: int) -> FinalCopy | None:
    """The rendered final copy in force (made by `docflow.rendering` at 用印, just before the seal)."""
    row = (
        await session.execute(
            select(RenderedCopy).where(RenderedCopy.document_id == document_id).order_by(RenderedCopy.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    return None if row is None else FinalCopy(row.sha256, row.size, row.page_count)


async def _final_copy_damaged(settings: Settings, form: dict[str, Any]) -> str | None:
    """What is wrong with the final copy's file on disk, if anything."""
    copy = form.get("final_copy")
    if not copy:
        return None
    store = RenderedStore(settings.data_dir)
    try:
        await to_thread.run_sync(store.read_checked, copy["sha256"], copy["size"])
    except (StoredCopyMissing, StoredCopyDamaged) as exc:
        return str(exc)
    return None


async def _damaged(store: BlobStore, attachments: Sequence[DocumentAttachment]) -> list[str]:
    """What is wrong with the stored bytes of each attachment (missing, or not what the digests say)."""
    problems: list[str] = []
    for attachment in attachments:
        found = await store.digests_on_disk(attachment.sha256)
        if found is None:
            problems.append(f"附件“{attachment.title}”的文件缺失")
        elif (found.sha256, found.sm3, found.size) != (attachment.sha256, attachment.sm3, attachment.size):
            problems.append(f"附件“{attachment.title}”的文件内容与登记的摘要不一致")
    return problems
