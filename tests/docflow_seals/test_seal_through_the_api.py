"""用印 through the HTTP API on both databases: the unit's key signs the canonical form, anyone who may read the
document verifies it, and any change afterwards — in the database or on disk — breaks the check with a clear reason."""

from __future__ import annotations

import json
import stat
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from jose import jws
from sqlalchemy import select, update

from docflow.attachments.blobs import BlobStore
from docflow.attachments.models import DocumentAttachment
from docflow.exchange.signing import b64url, thumbprint
from docflow.outgoing.models import Document
from docflow.rendering.models import RenderedCopy
from docflow.rendering.store import RenderedStore
from docflow.seals.models import DocumentSeal
from tests.docflow.helpers import act, notice
from tests.docflow_attachments.helpers import PDF, PNG, Desk, audit_of, draft, to_sealing, upload


async def sealed_document(desk: Desk) -> tuple[int, dict[str, Any]]:
    drafter, registrar = await desk("xsx.drafter"), await desk("xsx.registrar")
    doc = await draft(desk)
    attachment = await upload(drafter, doc, PDF, "防汛物资清单.pdf", title="防汛物资清单")
    await to_sealing(desk, doc)
    view = await act(registrar, doc, "seal")
    assert view["state"] == "dispatching"
    return doc, attachment


async def verify(client: Any, doc: int) -> dict[str, Any]:
    response = await client.get(f"/api/documents/{doc}/seal/verify")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def seal_row(services: Any, doc: int) -> DocumentSeal:
    async with services.sessions() as session:
        return (await session.execute(select(DocumentSeal).where(DocumentSeal.document_id == doc))).scalar_one()


async def test_sealing_signs_the_canonical_form_and_every_reader_can_verify_it(make_client, demo):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    doc = await draft(desk)
    await upload(drafter, doc, PDF, "防汛物资清单.pdf", title="防汛物资清单")
    assert (await verify(drafter, doc)) | {"reason": "-"} == {
        "valid": False, "reason": "-", "sealed_by": None, "unit_code": None, "sealed_at": None, "key_id": None,
        "digest": None}
    await to_sealing(desk, doc)
    await act(await desk("xsx.registrar"), doc, "seal")

    result = await verify(await desk("xsx.reviewer"), doc)
    assert result["valid"] is True and "未改动" in result["reason"]
    assert (result["sealed_by"], result["unit_code"]) == ("象山县人民政府", "XSX")

    key_file = demo.settings.keys_dir / "seals" / "XSX.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private_key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    public_key = private_key.public_key()
    assert result["key_id"] == thumbprint(public_key)  # type: ignore[arg-type]

    row = await seal_row(demo, doc)
    assert row.algorithm == "ES256" and row.digest == result["digest"]
    canonical = json.loads(row.canonical)
    elements = canonical["elements"]
    assert elements["doc_number"] and elements["doc_number"].startswith("象政发〔")
    assert canonical["signoff"]["opinion"] == "同意印发" and canonical["signoff"]["signer_name"]
    assert [(a["title"], len(a["sm3"])) for a in elements["attachments"]] == [("防汛物资清单", 64)]
    async with demo.sessions() as session:
        copy = (await session.execute(select(RenderedCopy).where(RenderedCopy.document_id == doc))).scalar_one()
    assert canonical["final_copy"] == {"sha256": copy.sha256, "size": copy.size, "page_count": copy.page_count}
    assert elements["page_count"] == copy.page_count  # 页码 and 印发日期 as printed are signed too
    # The stored detached JWS verifies independently with the unit's public key and ES256 only.
    header, _, signature = row.signature.split(".")
    token = f"{header}.{b64url(row.canonical.encode())}.{signature}"
    public_pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert jws.verify(token, public_pem, algorithms=["ES256"]) == row.canonical.encode()

    assert len(await audit_of(demo, "docflow.document.seal")) == 1
    outsider = await desk("spz.drafter")
    assert (await outsider.get(f"/api/documents/{doc}/seal/verify")).status_code == 403


async def test_a_sealed_document_refuses_edits_and_attachment_changes(make_client, demo):
    desk = Desk(make_client)
    doc, attachment = await sealed_document(desk)
    registrar = await desk("xsx.registrar")
    view = (await registrar.get(f"/api/documents/{doc}")).json()
    edit = await registrar.put(f"/api/documents/{doc}/content",
                               json={"base_version": view["version"], "content": notice(title="改过的标题")})
    assert edit.status_code == 409
    assert (await upload(registrar, doc, PNG, "补充.png", expect=409))["detail"].startswith("公文已用印")
    removal = await registrar.delete(f"/api/documents/{doc}/attachments/{attachment['id']}")
    assert removal.status_code == 409
    assert (await verify(registrar, doc))["valid"] is True


async def _title(services: Any, doc: int) -> None:
    async with services.sessions() as session, session.begin():
        row = await session.get(Document, doc)
        row.content = {**row.content, "title": "关于做好2027年防汛防台工作的通知"}


async def _number(services: Any, doc: int) -> None:
    async with services.sessions() as session, session.begin():
        await session.execute(update(Document).where(Document.id == doc).values(doc_number="象政发〔2026〕99号"))


async def _signoff(services: Any, doc: int) -> None:
    async with services.sessions() as session, session.begin():
        row = await session.get(Document, doc)
        row.flow = {**row.flow, "signoff": {**row.flow["signoff"], "opinion": "不同意"}}


async def _attachment_row(services: Any, doc: int) -> None:
    async with services.sessions() as session, session.begin():
        await session.execute(update(DocumentAttachment).where(DocumentAttachment.document_id == doc)
                              .values(title="另一个附件"))


async def _attachment_bytes(services: Any, doc: int) -> None:
    async with services.sessions() as session:
        sha = (await session.execute(select(DocumentAttachment.sha256)
                                     .where(DocumentAttachment.document_id == doc))).scalar_one()
    path = BlobStore(services.settings.data_dir).path_of(sha)
    path.write_bytes(path.read_bytes().replace(b"Catalog", b"Catalof"))


async def _copy_row(services: Any, doc: int) -> None:
    async with services.sessions() as session, session.begin():
        await session.execute(update(RenderedCopy).where(RenderedCopy.document_id == doc).values(page_count=99))


async def _copy_bytes(services: Any, doc: int) -> None:
    async with services.sessions() as session:
        sha = (await session.execute(select(RenderedCopy.sha256).where(RenderedCopy.document_id == doc))).scalar_one()
    path = RenderedStore(services.settings.data_dir).path_of(sha)
    path.write_bytes(path.read_bytes() + b"\n% appended after sealing\n")


async def _signature(services: Any, doc: int) -> None:
    async with services.sessions() as session, session.begin():
        row = (await session.execute(select(DocumentSeal).where(DocumentSeal.document_id == doc))).scalar_one()
        header, _, signature = row.signature.split(".")
        flipped = ("A" if signature[10] != "A" else "B")
        row.signature = f"{header}..{signature[:10]}{flipped}{signature[11:]}"


@pytest.mark.parametrize(("tamper", "needle"), [
    (_title, "用印后公文已被改动：标题"),
    (_number, "发文字号"),
    (_signoff, "签发记录"),
    (_attachment_row, "附件"),
    (_attachment_bytes, "用印后附件文件被改动：附件“防汛物资清单”的文件内容与登记的摘要不一致"),
    (_copy_row, "用印后公文已被改动：正式文本"),
    (_copy_bytes, "用印后正式文本被改动"),
    (_signature, "印章签名无效"),
], ids=["title", "number", "signoff", "attachment-row", "attachment-bytes", "final-copy-row", "final-copy-bytes",
        "signature"])
async def test_any_change_after_sealing_breaks_the_seal_with_a_reason(
        make_client, demo, tamper: Callable[[Any, int], Awaitable[None]], needle: str):
    desk = Desk(make_client)
    doc, _ = await sealed_document(desk)
    reader = await desk("xsx.drafter")
    assert (await verify(reader, doc))["valid"] is True
    await tamper(demo, doc)
    result = await verify(reader, doc)
    assert result["valid"] is False and needle in result["reason"], result["reason"]
    assert result["key_id"] and result["sealed_by"] == "象山县人民政府"


async def test_a_damaged_attachment_file_stops_the_seal_and_changes_nothing(make_client, demo):
    desk = Desk(make_client)
    drafter, registrar = await desk("xsx.drafter"), await desk("xsx.registrar")
    doc = await draft(desk)
    await upload(drafter, doc, PDF, "清单.pdf", title="清单")
    await to_sealing(desk, doc)
    await _attachment_bytes(demo, doc)
    refused = await act(registrar, doc, "seal", expect=409)
    assert "不能用印" in refused["detail"] and "清单" in refused["detail"]
    assert (await registrar.get(f"/api/documents/{doc}")).json()["state"] == "sealing"
    async with demo.sessions() as session:
        assert (await session.execute(select(DocumentSeal))).scalars().all() == []
    assert await audit_of(demo, "docflow.document.seal") == []
