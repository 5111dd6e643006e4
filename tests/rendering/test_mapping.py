"""The mapping from a document row to what is printed, without a database: dates, recipients, numbering,
the letter format, 签发人 and the seal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from docflow.outgoing.models import Document
from docflow.rendering.mapping import RenderFacts, numbered_body, signoff_date, to_render_document
from tests.docflow.helpers import notice

TODAY = date(2026, 11, 26)


def row(content: dict[str, Any], *, flow: dict[str, Any] | None = None, doc_number: str | None = None) -> Document:
    return Document(content=content, flow=flow or {}, doc_number=doc_number)


def signed(at: str, signer: int = 7) -> dict[str, Any]:
    return {"signoff": {"signer": signer, "by": signer, "at": at, "opinion": "同意"}}


def test_recipients_are_joined_and_the_main_line_ends_with_a_colon():
    printed = to_render_document(row(notice()), RenderFacts(today=TODAY), preview=True)
    assert printed.main_recipients == "丹东街道、石浦镇、西周镇："
    assert printed.cc == "县委办公室"
    alone = to_render_document(row(notice(copy_recipients=[])), RenderFacts(today=TODAY), preview=True)
    assert alone.cc is None


def test_headings_get_their_numbers_from_their_position():
    blocks = numbered_body([{"level": 1, "text": "甲"}, {"level": 2, "text": "乙"}, {"level": 2, "text": "丙"},
                            {"level": 0, "text": "段落"}, {"level": 1, "text": "丁"}, {"level": 3, "text": "戊"},
                            {"level": 4, "text": "己"}])
    assert [b.text for b in blocks] == ["一、甲", "（一）乙", "（二）丙", "段落", "二、丁", "1.戊", "（1）己"]


def test_the_written_date_wins_over_the_signoff_date():
    content = notice(written_date="2026-05-13")
    printed = to_render_document(row(content, flow=signed("2026-06-01T02:00:00+00:00")), RenderFacts(today=TODAY),
                                 preview=False)
    assert printed.date == date(2026, 5, 13)


@pytest.mark.parametrize(("at", "day"), [
    ("2026-03-01T15:59:59+00:00", date(2026, 3, 1)),
    ("2026-03-01T16:00:00+00:00", date(2026, 3, 2)),  # midnight in Beijing
    ("2026-03-01T17:30:00", date(2026, 3, 2)),  # a naive time is UTC
])
def test_without_a_written_date_the_signoff_day_in_china_is_printed(at, day):
    assert signoff_date(signed(at)) == day
    printed = to_render_document(row(notice(), flow=signed(at)), RenderFacts(today=TODAY), preview=False)
    assert printed.date == day


def test_an_unsigned_preview_is_dated_today_and_printed_today():
    printed = to_render_document(row(notice()), RenderFacts(today=TODAY, print_date=date(2000, 1, 1)), preview=True)
    assert (printed.date, printed.print_date, printed.printer) == (TODAY, TODAY, "象山县人民政府办公室")


def test_without_a_printing_organ_there_is_no_print_date():
    printed = to_render_document(row(notice(printing_organ="")), RenderFacts(today=TODAY), preview=False)
    assert (printed.printer, printed.print_date) == (None, None)


def test_a_letter_prints_the_organs_name_in_the_letter_format():
    printed = to_render_document(row(notice(doc_type="函")), RenderFacts(today=TODAY), preview=True)
    assert printed.letter_format and printed.organ_mark == "象山县人民政府"
    ordinary = to_render_document(row(notice()), RenderFacts(today=TODAY), preview=True)
    assert not ordinary.letter_format and ordinary.organ_mark == "象山县人民政府文件"


def test_a_request_previews_the_drafted_signers_and_prints_the_real_one_when_final():
    content = notice(doc_type="请示", signers=["王建国"])
    facts = RenderFacts(today=TODAY, signer_names=("赵磊",))
    assert to_render_document(row(content), facts, preview=True).signers == ("王建国",)
    assert to_render_document(row(content), facts, preview=False).signers == ("赵磊",)
    assert to_render_document(row(notice(signers=["王建国"])), facts, preview=False).signers == ()


def test_the_seal_and_the_attachment_titles_come_from_the_facts_and_a_preview_drops_the_seal():
    facts = RenderFacts(today=TODAY, attachment_titles=("物资清单", "值班表"), seal_image=b"png")
    assert to_render_document(row(notice()), facts, preview=False).seal_image == b"png"
    preview = to_render_document(row(notice()), facts, preview=True)
    assert preview.seal_image is None and preview.attachment_notes == ("物资清单", "值班表")


def test_the_number_and_the_other_elements_are_carried_over():
    content = notice(copy_number="000012", classification="秘密", secrecy_period="1年", notes="联系人：李明")
    printed = to_render_document(row(content, doc_number="象政发〔2026〕3号"), RenderFacts(today=TODAY),
                                 preview=False)
    assert (printed.doc_number, printed.copy_no, printed.classification, printed.classification_period,
            printed.urgency, printed.note, printed.issuer_signature) == (
        "象政发〔2026〕3号", "000012", "秘密", "1年", "加急", "联系人：李明", "象山县人民政府")
