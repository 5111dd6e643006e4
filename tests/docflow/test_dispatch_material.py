"""What every envelope of a dispatched document carries, read in one query: the sending unit's code, the
attachment files in upload order, and the latest seal."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from docflow.attachments.blobs import BlobStore
from docflow.attachments.models import DocumentAttachment
from docflow.distribution.envelopes import material_of
from docflow.outgoing.models import Document
from docflow.rules.workflow_state import DocState
from docflow.seals.models import DocumentSeal
from oa.auth.principal import RequestContext
from oa.org.models import Person, Unit
from oa.services import Services


async def _document(services: Services, files: list[bytes], seals: list[str]) -> Document:
    store = BlobStore(services.settings.data_dir)
    async with services.unit_of_work(None, RequestContext(ip="test")) as uow:
        session, now = uow.session, uow.now
        unit_id = (await session.execute(select(Unit.id).where(Unit.code == "XSX"))).scalar_one()
        drafter = (await session.execute(select(Person.id).where(Person.username == "xsx.drafter"))).scalar_one()
        document = Document(identifier=str(uuid.uuid4()), unit_id=unit_id, drafter_id=drafter,
                            state=DocState.DISPATCHED, doc_type="通知", title="关于做好冬季安全生产工作的通知",
                            urgency=None, daizi="象政发", doc_number="象政发〔2026〕1号", version=1, flow={},
                            content={}, created_at=now, updated_at=now)
        session.add(document)
        await session.flush()
        for n, content in enumerate(files):
            sha = hashlib.sha256(content).hexdigest()
            path = store.path_of(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            session.add(DocumentAttachment(document_id=document.id, title=f"附件{n}", filename=f"附件{n}.pdf",
                                           media_type="text/plain; charset=utf-8", size=len(content), sha256=sha,
                                           sm3="0" * 64, uploaded_by_id=drafter, uploaded_at=now))
            await session.flush()
        for n, signature in enumerate(seals):
            session.add(DocumentSeal(document_id=document.id, unit_id=unit_id, unit_code="XSX",
                                     seal_name="象山县人民政府", key_id=f"key-{n}", algorithm="ES256",
                                     sealed_by_id=drafter, signed_at=datetime(2026, 12, 1, tzinfo=UTC)
                                     + timedelta(minutes=n), digest="0" * 64, canonical="{}", signature=signature))
            await session.flush()
        uow.audit("test.document")
        await uow.commit()
    return document


async def test_the_material_of_a_document_is_its_unit_its_files_in_order_and_its_latest_seal(demo: Services):
    document = await _document(demo, [b"first file", b"second file"], ["first..seal", "second..seal"])
    async with demo.sessions() as session:
        material = await material_of(session, document, demo.settings.data_dir)
    assert material.sender_unit == "XSX"
    assert [(a.filename, a.media_type, a.content) for a in material.attachments] == [
        ("附件0.pdf", "text/plain", b"first file"), ("附件1.pdf", "text/plain", b"second file")]
    assert all(a.mismatch() is None for a in material.attachments)  # the digests are computed from the bytes
    assert material.seal is not None
    assert (material.seal.signature_value, material.seal.key_id, material.seal.sealing_unit) == (
        "second..seal", "key-1", "XSX")


async def test_a_document_without_files_or_seal_still_names_its_unit(demo: Services):
    document = await _document(demo, [], [])
    async with demo.sessions() as session:
        material = await material_of(session, document, demo.settings.data_dir)
    assert (material.sender_unit, material.attachments, material.seal) == ("XSX", (), None)
