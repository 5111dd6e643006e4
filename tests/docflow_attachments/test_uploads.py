"""Attachments through the HTTP API: stored once by hash with SHA-256 and SM3, typed by their bytes, size-limited,
listed, downloaded with the right headers, and removed — each change audited once."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from docflow.attachments.models import DocumentAttachment
from oa.audit.models import AuditRecord
from tests.docflow.helpers import act, person_id
from tests.docflow_attachments.conftest import UPLOAD_LIMIT
from tests.docflow_attachments.helpers import (
    DOCM,
    DOCX,
    ELF,
    EXE,
    JPEG,
    OFD,
    OLE_DOC,
    PDF,
    PLAIN_ZIP,
    PNG,
    SCRIPT,
    TIFF,
    TXT,
    XLSX,
    XML,
    Desk,
    audit_of,
    draft,
    upload,
)


def stored_blobs(data_dir: Path) -> list[Path]:
    root = data_dir / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file() and "incoming" not in p.parts) if root.exists() else []


def leftovers(data_dir: Path) -> list[Path]:
    incoming = data_dir / "blobs" / "incoming"
    return list(incoming.iterdir()) if incoming.exists() else []


async def attachment_rows(services) -> int:
    async with services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(DocumentAttachment))).scalar_one())


async def test_a_file_is_stored_once_by_its_hash_with_sha256_and_sm3_and_comes_back_intact(make_client, demo):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    first, second = await draft(desk), await draft(desk, title="关于转发防汛物资清单的通知")
    one = await upload(drafter, first, PDF, "防汛物资清单.pdf", title="防汛物资清单")
    two = await upload(drafter, second, PDF, "清单（转发）.pdf")

    assert one["sha256"] == two["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert one["sm3"] == hashlib.new("sm3", PDF).hexdigest()
    assert (one["size"], one["media_type"], one["title"]) == (len(PDF), "application/pdf", "防汛物资清单")
    assert two["title"] == "清单（转发）"  # the file name without its extension
    blobs = stored_blobs(demo.settings.data_dir)
    assert [b.name for b in blobs] == [one["sha256"]]  # two documents, one stored copy
    assert blobs[0].read_bytes() == PDF and leftovers(demo.settings.data_dir) == []

    await upload(drafter, first, PNG, "现场照片.png", title="现场照片")
    listing = (await drafter.get(f"/api/documents/{first}/attachments")).json()
    assert [a["title"] for a in listing["items"]] == ["防汛物资清单", "现场照片"]
    assert listing["notes"] == ["1. 防汛物资清单", "2. 现场照片"]
    view = (await drafter.get(f"/api/documents/{first}")).json()
    assert view["attachment_notes"] == listing["notes"] and len(view["attachments"]) == 2

    response = await drafter.get(f"/api/documents/{first}/attachments/{one['id']}")
    assert response.status_code == 200 and response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["repr-digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(PDF).digest()).decode()}:"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and f"filename*=UTF-8''{quote('防汛物资清单.pdf')}" in disposition


async def test_each_accepted_kind_gets_its_media_type_from_its_bytes(make_client, demo):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    doc = await draft(desk)
    cases = [
        (DOCX, "实施方案.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "统计表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (OFD, "版式文件.ofd", "application/ofd"), (JPEG, "照片.jpg", "image/jpeg"), (TIFF, "扫描件.tif", "image/tiff"),
        (XML, "数据.xml", "application/xml"), (TXT, "说明.txt", "text/plain; charset=utf-8"),
    ]
    for data, filename, media_type in cases:
        body = await upload(drafter, doc, data, filename)
        assert body["media_type"] == media_type, filename


@pytest.mark.parametrize(("data", "filename", "needle"), [
    (EXE, "通知.pdf", "Windows 可执行程序"),
    (ELF, "tool", "Linux 可执行程序"),
    (SCRIPT, "clean.txt", "脚本"),
    (PDF, "setup.exe", "可执行程序或脚本"),
    (OLE_DOC, "旧文件.doc", "旧版 Office"),
    (DOCM, "方案.docx", "宏"),
    (PLAIN_ZIP, "材料.zip", "压缩包"),
    (PDF, "图片.png", "扩展名 .png 与文件内容（PDF）不符"),
    (b"\x00\x01\x02binary", "data.bin", "无法识别"),
])
async def test_executables_macros_archives_and_disguised_files_are_refused_and_nothing_is_kept(
        make_client, demo, data, filename, needle):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    doc = await draft(desk)
    refused = await upload(drafter, doc, data, filename, expect=415)
    assert needle in refused["detail"]
    assert await attachment_rows(demo) == 0 and await audit_of(demo, "docflow.attachment.add") == []
    assert stored_blobs(demo.settings.data_dir) == [] and leftovers(demo.settings.data_dir) == []


async def test_an_upload_over_the_limit_is_refused_with_413_whether_or_not_its_length_was_declared(make_client, demo):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    doc = await draft(desk)
    big = PDF + bytes(UPLOAD_LIMIT)
    declared = await upload(drafter, doc, big, "大文件.pdf", expect=413)
    assert "附件过大" in declared["detail"] and "MB" in declared["detail"]

    async def chunks() -> AsyncIterator[bytes]:  # chunked transfer: no Content-Length to refuse up front
        yield PDF
        for _ in range(UPLOAD_LIMIT // 8192 + 2):
            yield bytes(8192)

    streamed = await drafter.post(f"/api/documents/{doc}/attachments", params={"filename": "流.pdf"},
                                  content=chunks())
    assert streamed.status_code == 413 and "附件过大" in streamed.json()["detail"]
    assert await attachment_rows(demo) == 0
    assert stored_blobs(demo.settings.data_dir) == [] and leftovers(demo.settings.data_dir) == []

    exact = PDF + bytes(UPLOAD_LIMIT - len(PDF))  # exactly at the limit is allowed
    assert (await upload(drafter, doc, exact, "正好.pdf"))["size"] == UPLOAD_LIMIT


async def test_the_same_file_twice_on_one_document_is_a_conflict(make_client, demo):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    doc = await draft(desk)
    await upload(drafter, doc, PDF, "清单.pdf")
    again = await upload(drafter, doc, PDF, "清单副本.pdf", expect=409)
    assert "已作为本公文的附件" in again["detail"]
    assert await attachment_rows(demo) == 1


async def test_only_the_drafter_while_drafting_or_the_current_holder_changes_attachments(make_client, demo):
    desk = Desk(make_client)
    drafter, reviewer, outsider = await desk("xsx.drafter"), await desk("xsx.reviewer"), await desk("spz.drafter")
    doc = await draft(desk)
    assert "当前办理人" in (await upload(reviewer, doc, PDF, "a.pdf", expect=403))["detail"]
    assert (await outsider.get(f"/api/documents/{doc}/attachments")).status_code == 403
    mine = await upload(drafter, doc, PDF, "a.pdf")
    assert (await outsider.get(f"/api/documents/{doc}/attachments/{mine['id']}")).status_code == 403

    await act(drafter, doc, "submit")
    await upload(drafter, doc, PNG, "b.png", expect=403)  # no longer the drafter's turn
    added = await upload(reviewer, doc, PNG, "b.png", title="核稿补充的照片")
    removed = await reviewer.delete(f"/api/documents/{doc}/attachments/{mine['id']}")
    assert removed.status_code == 204
    refused = await drafter.delete(f"/api/documents/{doc}/attachments/{added['id']}")
    assert refused.status_code == 403
    missing = await reviewer.delete(f"/api/documents/{doc}/attachments/{mine['id']}")
    assert missing.status_code == 404

    titles = [a["title"] for a in (await drafter.get(f"/api/documents/{doc}/attachments")).json()["items"]]
    assert titles == ["核稿补充的照片"]
    adds, removes = await audit_of(demo, "docflow.attachment.add"), await audit_of(demo, "docflow.attachment.remove")
    assert [(r.actor_id, r.detail["title"]) for r in adds] == [
        (await person_id(drafter, "xsx.drafter"), "a"), (await person_id(drafter, "xsx.reviewer"), "核稿补充的照片")]
    assert [(r.target_id, r.detail["attachment_id"]) for r in removes] == [(str(doc), mine["id"])]
    assert all(r.detail["sha256"] and r.detail["sm3"] for r in adds)
    async with demo.sessions() as session:
        refusals = (await session.execute(select(func.count()).select_from(AuditRecord)
                                          .where(AuditRecord.action.like("docflow.attachment.%")))).scalar_one()
    assert refusals == 3  # refused changes leave no record of a change
