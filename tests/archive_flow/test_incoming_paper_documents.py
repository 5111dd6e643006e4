"""归档 of 收文 registered by hand (paper, e-mail) through the real app on both databases: no exchange envelope to
keep; the PDF scan becomes the 主文档 when there is one, otherwise the copy is rendered from what was registered,
and a document that cannot be laid out (no 文号) is refused with a way out."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from archive.eep.extract import extract_package
from archive.eep.verify import verify_package
from archive.keeping.models import ArchiveItem
from docflow.render.fonts import FontConfig
from docflow.render.model import BodyBlock, RenderDocument
from docflow.render.pdf import render_pdf
from tests.archive_flow.helpers import item_row, stored_path
from tests.docflow.helpers import Desk, person_id
from tests.incoming.helpers import incoming_act


async def closed_paper_document(desk: Desk, title: str, files: list[tuple[str, str, bytes]],
                                doc_number: str | None = "甬应急〔2026〕9号") -> dict[str, Any]:
    registrar = await desk("ddjd.registrar")
    response = await registrar.post("/api/incoming/manual", json={
        "sender_name": "宁波市应急管理局", "title": title, "doc_type": "通知", "doc_number": doc_number,
        "summary": "请各地做好汛期值守，落实巡查责任。",
        "files": [{"filename": name, "media_type": media, "content_base64": base64.b64encode(content).decode()}
                  for name, media, content in files]})
    assert response.status_code == 201, response.text
    incoming_id = int(response.json()["id"])
    await incoming_act(registrar, incoming_id, "accept", text="阅件")
    await incoming_act(registrar, incoming_id, "circulate", readers=[await person_id(registrar, "ddjd.leader")])
    await incoming_act(await desk("ddjd.leader"), incoming_id, "read")
    view = await incoming_act(registrar, incoming_id, "close", text="已阅知")
    assert view["state"] == "closed"
    return view


async def transferred_package(demo: Any, desk: Desk, incoming_id: int, out: Path) -> tuple[Any, list[Path]]:
    response = await (await desk("ddjd.registrar")).post("/api/archive/transfers", json={"incoming_id": incoming_id})
    assert response.status_code == 201, response.text
    row = await item_row(demo, response.json()["id"])
    path = stored_path(demo, row.package_sha256)
    report = verify_package(path)
    assert report.ok, report.to_text()
    assert report.metadata is not None
    return report.metadata, extract_package(path, out)


async def test_a_paper_document_is_archived_with_a_rendered_copy_its_scan_and_no_envelope(
        demo: Any, desk: Desk, tmp_path: Path) -> None:
    view = await closed_paper_document(desk, "关于加强汛期值守的通知", [("值班表.txt", "text/plain", "值班表".encode())])
    meta, files = await transferred_package(demo, desk, view["id"], tmp_path / "out")
    assert [d.title for d in meta.documents] == ["关于加强汛期值守的通知（据来文要素生成的文本）", "值班表", "收文处理单"]
    assert files[0].read_bytes().startswith(b"%PDF-") and files[1].read_bytes() == "值班表".encode()
    assert [b["业务行为"] for b in meta.business] == ["登记（纸质来文）", "初审通过", "传阅", "阅毕", "办结", "归档"]
    assert meta.responsible == ("宁波市应急管理局",) and meta.fields["文件编号"] == "甬应急〔2026〕9号"


async def test_the_pdf_scan_of_a_paper_document_becomes_the_main_document(
        demo: Any, desk: Desk, tmp_path: Path) -> None:
    scan = render_pdf(RenderDocument(doc_type="通知", organ_mark="宁波市应急管理局文件", title="关于加强汛期值守的通知",
                                     issuer_signature="宁波市应急管理局", date=dt.date(2026, 6, 1),
                                     doc_number="甬应急〔2026〕9号", body=(BodyBlock(0, "请各地做好汛期值守。"),)),
                      FontConfig.from_environ({}))
    view = await closed_paper_document(desk, "关于加强汛期值守的通知", [("来文扫描件.pdf", "application/pdf", scan)])
    meta, files = await transferred_package(demo, desk, view["id"], tmp_path / "out")
    assert [d.title for d in meta.documents] == ["关于加强汛期值守的通知（来文正式文本）", "收文处理单"]
    # The scan's bytes are kept; at most an incremental update (unfiltered XMP) is appended after them.
    assert files[0].read_bytes().startswith(scan)


async def test_a_paper_document_without_number_or_scan_is_refused_with_a_way_out_and_nothing_stored(
        demo: Any, desk: Desk) -> None:
    view = await closed_paper_document(desk, "关于汛期值守的函", [], doc_number=None)
    refused = await (await desk("ddjd.registrar")).post("/api/archive/transfers", json={"incoming_id": view["id"]})
    assert refused.status_code == 409, refused.text
    assert "无法生成归档正式文本" in refused.json()["detail"] and "PDF 扫描件" in refused.json()["detail"]
    async with demo.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(ArchiveItem))).scalar_one() == 0
