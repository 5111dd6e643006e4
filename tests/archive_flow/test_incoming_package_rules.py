"""The pure side of archiving a 收文: which file is the 主文档, what the 收文处理单 holds, the business entities,
the 附注 with the register number, and the layout rendered from the received elements when no copy came."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from lxml import etree

from archive.eep.model import DocumentRole
from archive.transfer.incoming_package import (
    IncomingFacts,
    IncomingStep,
    ReceivedFile,
    file_entity,
    package_input,
    processing_form_xml,
    render_received,
    sender_copy,
)
from archive.transfer.package_input import PersonFact

AT = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)


def facts(files: tuple[ReceivedFile, ...] = ()) -> IncomingFacts:
    return IncomingFacts(
        file_number="SW-DDJD-2026-000007", incoming_id=7, sender_identifier="XSX-2026-0001", unit_code="DDJD",
        unit_name="丹东街道", sender_name="象山县人民政府", title="关于做好防汛防台工作的通知",
        doc_number="象政发〔2026〕3号", doc_type="通知", urgency="加急", written_date=dt.date(2026, 5, 30),
        register_number="收文〔2026〕1号", main_recipients=("丹东街道",), copy_recipients=(), classification="公开",
        public=False, proposal="建议党政办落实", instruction="同意",
        steps=(IncomingStep("sign_for", 11, "received", "signed_for", "", AT),
               IncomingStep("close", None, "in_progress", "closed", "已落实", AT + dt.timedelta(days=2))),
        people={11: PersonFact(11, "王文书", "文书"), 12: PersonFact(12, "李主任", "主任")}, files=files,
    )


def pdf(position: int, name: str) -> ReceivedFile:
    return ReceivedFile(position, name, "PDF", "application/pdf", Path(f"/nowhere/{position}"))


def test_the_sender_copy_is_the_pdf_named_by_the_identifier_or_called_the_official_text() -> None:
    plan = pdf(1, "防汛预案.pdf")
    assert sender_copy([plan], "XSX-2026-0001") is None
    assert sender_copy([plan, pdf(2, "XSX-2026-0001.pdf")], "XSX-2026-0001") == pdf(2, "XSX-2026-0001.pdf")
    assert sender_copy([pdf(3, "正式文本.pdf")], "") == pdf(3, "正式文本.pdf")
    named_but_text = ReceivedFile(4, "XSX-2026-0001.txt", "TXT", "text/plain", Path("/nowhere/4"))
    assert sender_copy([named_but_text], "XSX-2026-0001") is None


def test_a_paper_document_takes_its_first_pdf_scan_but_an_exchanged_one_does_not() -> None:
    scans = [ReceivedFile(1, "说明.txt", "TXT", "text/plain", Path("/nowhere/1")), pdf(2, "扫描件.pdf"),
             pdf(3, "扫描件2.pdf")]
    assert sender_copy(scans, "", paper=True) == pdf(2, "扫描件.pdf")
    assert sender_copy(scans, "XSX-2026-0001") is None
    assert sender_copy(scans[:1], "", paper=True) is None


def test_a_carried_copy_becomes_the_main_document_and_is_not_repeated_among_the_attached() -> None:
    carried, plan = pdf(1, "XSX-2026-0001.pdf"), pdf(2, "防汛预案.pdf")
    pkg = package_input(facts((carried, plan)), Path("/m.pdf"), Path("/f.xml"), Path("/e.xml"), main_file=carried,
                        archived_by=12, archived_at=AT)
    roles = [(d.role, d.title) for d in pkg.documents]
    assert roles == [(DocumentRole.MAIN, "关于做好防汛防台工作的通知（来文正式文本）"),
                     (DocumentRole.ATTACHED, "防汛预案"), (DocumentRole.ATTACHED, "公文交换报文（原样）"),
                     (DocumentRole.ATTACHED, "收文处理单")]


def test_a_paper_document_has_no_envelope_and_a_rendered_main_document() -> None:
    pkg = package_input(facts(), Path("/m.pdf"), Path("/f.xml"), None, main_file=None, archived_by=12,
                        archived_at=AT)
    assert [d.title for d in pkg.documents] == ["关于做好防汛防台工作的通知（据来文要素生成的文本）", "收文处理单"]


def test_the_business_entities_run_from_sign_for_to_archiving_and_fall_back_to_the_unit_without_an_actor() -> None:
    pkg = package_input(facts(), Path("/m.pdf"), Path("/f.xml"), None, main_file=None, archived_by=12,
                        archived_at=AT)
    assert [(b.action, b.agent_id) for b in pkg.business] == [("签收", "P-11"), ("办结", "U-DDJD"), ("归档", "P-12")]
    assert pkg.business[1].description == "承办中 → 已办结；意见：已落实"
    assert [a.identifier for a in pkg.agents] == ["U-DDJD", "P-11", "P-12"]


def test_the_file_entity_names_the_sender_as_responsible_and_keeps_the_register_number_in_the_note() -> None:
    meta = file_entity(facts())
    assert meta.description.responsible == ("象山县人民政府",)
    assert meta.description.document_number == "象政发〔2026〕3号"
    assert meta.note == "收文编号：收文〔2026〕1号" and meta.storage_location == "oa://incoming/7"
    assert file_entity(replace(facts(), register_number="")).note == ""


def test_the_processing_form_lists_opinions_readers_and_every_step() -> None:
    form = etree.fromstring(processing_form_xml(facts(), [{"person_id": 12, "sent_at": AT.isoformat(),
                                                            "read_at": ""}]))
    assert form.get("收文编号") == "收文〔2026〕1号"
    assert (form.findtext("来文单位"), form.findtext("拟办意见"), form.findtext("领导批示")) == \
        ("象山县人民政府", "建议党政办落实", "同意")
    assert [r.get("姓名") for r in form.iter("阅文人")] == ["李主任"]
    assert [(s.get("行为"), s.get("办理人"), s.text) for s in form.iter("步骤")] == \
        [("签收", "王文书", None), ("办结", "系统", "已落实")]


def test_the_rendered_layout_numbers_headings_and_defaults_the_organ_mark_to_the_sender() -> None:
    doc = render_received({"main_recipients": ["丹东街道"], "issuers": []},
                          [{"level": 1, "text": "提高认识"}, {"level": 0, "text": "正文"}],
                          title="关于做好防汛防台工作的通知", doc_type="通知", doc_number="象政发〔2026〕3号",
                          sender_name="象山县人民政府", written=dt.date(2026, 5, 30), attachment_titles=("防汛预案",))
    assert doc.organ_mark == "象山县人民政府文件" and doc.issuer_signature == "象山县人民政府"
    assert [b.text for b in doc.body] == ["一、提高认识", "正文"]
    assert doc.main_recipients == "丹东街道：" and doc.attachment_notes == ("防汛预案",)
    letter = render_received({"issuer_mark": "象山县人民政府文件"}, [], title="关于商请的函", doc_type="函",
                             doc_number=None, sender_name="象山县人民政府", written=dt.date(2026, 5, 30),
                             attachment_titles=())
    assert letter.letter_format and letter.organ_mark == "象山县人民政府" and letter.body[0].text == "关于商请的函"
