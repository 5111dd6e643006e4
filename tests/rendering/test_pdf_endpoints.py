"""The 预览稿 and the sealed final copy through the real app over HTTP, on SQLite and PostgreSQL: what is printed,
who may see it, how a document that cannot be laid out is refused, and how a damaged stored copy is detected."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader
from sqlalchemy import select

from docflow.outgoing.models import Document
from docflow.rendering.models import RenderedCopy
from docflow.seals.models import DocumentSeal
from oa.org.models import Person
from tests.docflow.helpers import Desk, People, act, create, footprint, notice, to_register
from tests.rendering.rendering_helpers import (
    draft,
    pdf_of,
    preview_marks,
    request_content,
    sealed,
    text_of,
    wide_red_rules_mm,
)


async def copy_row(services, doc_id: int) -> RenderedCopy:
    async with services.sessions() as session:
        return (await session.execute(select(RenderedCopy).where(RenderedCopy.document_id == doc_id))).scalar_one()


async def test_a_preview_of_a_draft_notice_carries_its_title_and_the_preview_mark(make_client, demo):
    drafter = await Desk(make_client)("xsx.drafter")
    doc = await create(drafter)
    pdf = await pdf_of(drafter, f"/api/documents/{doc['id']}/preview.pdf", "notice-preview")
    text = text_of(pdf)
    assert "关于做好2026年防汛防台工作的通知" in text
    assert set(preview_marks(pdf)) == {"预览稿"}  # on every page
    assert "丹东街道、石浦镇、西周镇：" in text  # 主送 joined with 、 and ending ：
    assert "一、提高思想认识" in text and "（一）明确责任主体" in text  # headings numbered by position
    assert "抄送：县委办公室。" in text


async def test_a_preview_follows_the_saved_version(make_client, demo):
    drafter = await Desk(make_client)("xsx.drafter")
    doc = await create(drafter)
    response = await drafter.put(f"/api/documents/{doc['id']}/content",
                                 json={"base_version": doc["version"], "summary": "改标题",
                                       "content": notice(title="关于做好2026年森林防火工作的通知")})
    assert response.status_code == 200, response.text
    text = text_of(await pdf_of(drafter, f"/api/documents/{doc['id']}/preview.pdf", "notice-preview-v2"))
    assert "关于做好2026年森林防火工作的通知" in text and "关于做好2026年防汛防台工作的通知" not in text


async def test_a_request_preview_shows_the_signers_the_drafter_named(make_client, demo):
    drafter = await Desk(make_client)("xsx.drafter")
    doc = await draft(drafter, request_content())
    text = text_of(await pdf_of(drafter, f"/api/documents/{doc}/preview.pdf", "request-preview"))
    assert "签发人：王建国" in text
    assert "关于申请防汛救灾专项资金的请示" in text


async def test_a_letter_renders_in_the_letter_format(make_client, demo):
    drafter = await Desk(make_client)("xsx.drafter")
    letter = await draft(drafter, request_content(doc_type="函", title="关于商请协助做好防汛物资调运工作的函",
                                                  signers=[], body=[{"level": 0, "text": "请贵单位协助调运。"}]))
    ordinary = await create(drafter)
    letter_pdf = await pdf_of(drafter, f"/api/documents/{letter}/preview.pdf", "letter-preview")
    notice_pdf = await pdf_of(drafter, f"/api/documents/{ordinary['id']}/preview.pdf", "notice-preview-rules")
    letter_text = text_of(letter_pdf)
    # 信函格式: the organ's name, not "……文件", between red double rules 170 mm long at the top of the page.
    assert letter_text.startswith("象山县人民政府") and "象山县人民政府文件" not in letter_text
    assert wide_red_rules_mm(letter_pdf).count(170) >= 2
    assert 170 not in wide_red_rules_mm(notice_pdf)
    assert "象山县人民政府文件" in text_of(notice_pdf)


async def test_the_whole_flow_to_sealing_stores_the_final_copy_with_its_number_and_digest(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await sealed(desk, people)
    reader = await desk("xsx.reviewer")
    pdf = await pdf_of(reader, f"/api/documents/{doc_id}/rendered.pdf", "notice-final")

    async with demo.sessions() as session:
        document = await session.get(Document, doc_id)
        assert document is not None and document.doc_number
        number, content = document.doc_number, document.content
    row = await copy_row(demo, doc_id)
    text = text_of(pdf)
    assert number in text and set(preview_marks(pdf)) == {""}
    assert hashlib.sha256(pdf).hexdigest() == row.sha256 and len(pdf) == row.size
    assert (demo.settings.data_dir / "rendered" / f"{row.sha256}.pdf").read_bytes() == pdf
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert row.page_count == pages == content["page_count"]  # 页码 recorded in the document
    assert (demo.settings.data_dir / "seals" / "XSX.png").read_bytes().startswith(b"\x89PNG")
    # The page count and 印发日期 were written before the seal signed: the seal still verifies.
    verification = (await reader.get(f"/api/documents/{doc_id}/seal/verify")).json()
    assert verification["valid"] is True, verification


async def test_the_final_copy_of_a_request_shows_who_signed_it_off(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await sealed(desk, people, **request_content())
    async with demo.sessions() as session:
        leader = (await session.execute(select(Person.name).where(Person.username == "xsx.leader"))).scalar_one()
    text = text_of(await pdf_of(await desk("xsx.drafter"), f"/api/documents/{doc_id}/rendered.pdf", "request-final"))
    assert f"签发人：{leader}" in text
    assert "王建国" not in text  # the name the drafter expected; the copy prints who really signed


async def test_a_changed_byte_in_the_stored_copy_is_detected_before_serving(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await sealed(desk, people)
    row = await copy_row(demo, doc_id)
    stored = demo.settings.data_dir / "rendered" / f"{row.sha256}.pdf"
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x01
    stored.write_bytes(bytes(data))
    reader = await desk("xsx.reviewer")
    response = await reader.get(f"/api/documents/{doc_id}/rendered.pdf")
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "已被改动" in response.json()["detail"]
    stored.unlink()
    response = await reader.get(f"/api/documents/{doc_id}/rendered.pdf")
    assert response.status_code == 409 and "不在存储目录中" in response.json()["detail"]


async def test_the_final_copy_before_sealing_is_not_found_with_a_hint(make_client, demo):
    drafter = await Desk(make_client)("xsx.drafter")
    doc = await create(drafter)
    response = await drafter.get(f"/api/documents/{doc['id']}/rendered.pdf")
    assert response.status_code == 404
    assert "尚未用印" in response.json()["detail"]


async def test_a_title_with_a_character_no_font_has_is_refused_with_a_clear_422(make_client, demo):
    drafter = await Desk(make_client)("xsx.drafter")
    doc = await create(drafter, title="关于𪛖字的通知")  # U+2A6D6, in none of the installed CJK fonts
    response = await drafter.get(f"/api/documents/{doc['id']}/preview.pdf")
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/unrenderable")
    assert "U+2A6D6" in problem["detail"] and "标题" in problem["detail"]


async def test_sealing_a_document_that_cannot_be_laid_out_is_refused_and_changes_nothing(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_register(desk, people, title="关于𪛖字的通知")
    registrar = await desk("xsx.registrar")
    await act(registrar, doc_id, "assign_number")
    await act(registrar, doc_id, "approve", opinion="已登记")
    before = await footprint(demo, doc_id)
    problem = await act(registrar, doc_id, "seal", expect=422)
    assert "不能用印" in problem["detail"] and "U+2A6D6" in problem["detail"]
    assert await footprint(demo, doc_id) == before
    async with demo.sessions() as session:
        copies = (await session.execute(select(RenderedCopy).where(RenderedCopy.document_id == doc_id))).all()
        seals = (await session.execute(select(DocumentSeal).where(DocumentSeal.document_id == doc_id))).all()
    assert copies == [] and seals == []


async def test_a_person_of_another_unit_may_not_see_either_copy(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await sealed(desk, people)
    outsider = await desk("spz.drafter")
    for kind in ("preview", "rendered"):
        response = await outsider.get(f"/api/documents/{doc_id}/{kind}.pdf")
        assert response.status_code == 403, (kind, response.text)


async def test_the_openapi_document_declares_both_as_pdf(client, demo):
    spec = (await client.get("/openapi.json")).json()
    for path in ("/api/documents/{document_id}/preview.pdf", "/api/documents/{document_id}/rendered.pdf"):
        ok = spec["paths"][path]["get"]["responses"]["200"]
        assert ok["content"] == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
