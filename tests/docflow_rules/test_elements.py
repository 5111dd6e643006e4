"""Validation of the document elements: every rule yields a violation with a field path and a
Chinese message saying what to change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from docflow.rules.body import Block
from docflow.rules.elements import (
    Classification,
    DocType,
    Elements,
    ElementValueError,
    PublicationLevel,
    Recipient,
    Urgency,
    Violation,
    parse_classification,
    parse_doc_type,
    parse_publication_level,
    parse_urgency,
    validate_elements,
)

UNITS = {"xs-fgj", "xs-czj", "nb-gov"}


def notice(**changes: object) -> Elements:
    base = Elements(
        doc_type=DocType.NOTICE,
        identifier="330225-0001-2026-000001",
        publication_level=PublicationLevel.PUBLIC,
        title="象山县人民政府关于做好2026年春耕生产工作的通知",
        issuer_mark="象山县人民政府文件",
        issuer_names=("象山县人民政府",),
        main_recipients=(Recipient("xs-fgj", "县发改局"), Recipient(None, "各乡镇人民政府")),
        copy_recipients=(Recipient("xs-czj", "县财政局"),),
        body=(Block(1, "总体要求"), Block(0, "……")),
        written_date=date(2026, 3, 2),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def check(e: Elements, *, classified_system: bool = False) -> list[Violation]:
    return validate_elements(e, classified_system=classified_system, known_unit_codes=UNITS)


def paths(violations: list[Violation]) -> list[str]:
    return [v.path for v in violations]


def test_a_complete_notice_is_valid() -> None:
    assert check(notice()) == []


@pytest.mark.parametrize("name", [t.value for t in DocType])
def test_each_of_the_fifteen_types_parses_from_its_name(name: str) -> None:
    assert parse_doc_type(name).value == name


def test_ling_is_accepted_as_the_short_form_of_order() -> None:
    assert parse_doc_type("令") is DocType.ORDER


def test_an_unknown_type_names_the_accepted_ones() -> None:
    with pytest.raises(ElementValueError, match="决议、决定、命令"):
        parse_doc_type("简报")


def test_urgency_classification_and_publication_parse_or_explain() -> None:
    assert parse_urgency("特急") is Urgency.EXTRA_URGENT and parse_urgency("") is None
    assert parse_classification("机密") is Classification.SECRET and parse_classification(" ") is None
    assert parse_publication_level("依申请公开") is PublicationLevel.ON_REQUEST
    with pytest.raises(ElementValueError, match="特急、加急"):
        parse_urgency("急件")
    with pytest.raises(ElementValueError, match="绝密、机密、秘密"):
        parse_classification("内部")


def test_a_classified_document_is_refused_on_an_ordinary_system() -> None:
    e = notice(classification=Classification.SECRET, copy_number="000012", secrecy_period="5年")
    (violation,) = check(e)
    assert violation.path == "classification" and "涉密" in violation.message
    assert check(e, classified_system=True) == []
    assert e.classification_mark == "机密★5年"


@pytest.mark.parametrize("copy_number", [None, "12", "0000123", "00001a"])
def test_a_classified_document_needs_a_six_digit_copy_number(copy_number: str | None) -> None:
    e = notice(classification=Classification.CONFIDENTIAL, copy_number=copy_number)
    assert paths(check(e, classified_system=True)) == ["copy_number"]


def test_a_copy_number_on_an_unclassified_document_is_refused() -> None:
    (violation,) = check(notice(copy_number="000001"))
    assert violation.code == "copy_number.unclassified" and "删除份号" in violation.message


def test_a_secrecy_period_needs_a_classification_and_a_known_form() -> None:
    assert paths(check(notice(secrecy_period="5年"))) == ["secrecy_period"]
    e = notice(classification=Classification.SECRET, copy_number="000001", secrecy_period="五年")
    assert paths(check(e, classified_system=True)) == ["secrecy_period"]


@pytest.mark.parametrize("doc_type", [DocType.REPORT, DocType.REQUEST])
def test_an_upward_document_must_name_its_signer(doc_type: DocType) -> None:
    e = notice(doc_type=doc_type, main_recipients=(Recipient("nb-gov", "宁波市人民政府"),), copy_recipients=())
    (violation,) = check(e)
    assert violation.path == "signers" and "签发人" in violation.message
    assert check(replace(e, signers=("王某某",))) == []


def test_a_request_has_exactly_one_main_recipient() -> None:
    e = notice(doc_type=DocType.REQUEST, signers=("王某某",))
    (violation,) = check(e)
    assert violation.code == "main_recipients.single"
    assert paths(check(replace(e, main_recipients=()))) == ["main_recipients"]


@pytest.mark.parametrize(
    ("title", "code"), [("", "title.required"), ("  ", "title.required"), ("关" * 101, "title.too_long")]
)
def test_the_title_is_required_and_bounded(title: str, code: str) -> None:
    (violation,) = check(notice(title=title))
    assert violation.code == code


def test_the_title_limit_can_be_set_by_the_caller() -> None:
    e = notice(title="关" * 30)
    assert (
        validate_elements(e, classified_system=False, known_unit_codes=UNITS, title_max=20)[0].code == "title.too_long"
    )


def test_recipients_must_be_known_units_or_named_free_text() -> None:
    e = notice(
        main_recipients=(Recipient("xs-unknown", "县某局"), Recipient(None, " ")),
        copy_recipients=(Recipient("xs-fgj", "县发改局"), Recipient("xs-fgj", "县发改局")),
    )
    violations = check(e)
    assert paths(violations) == [
        "main_recipients[0].unit_code",
        "main_recipients[1].name",
        "copy_recipients[1]",
    ]
    assert "不在单位目录中" in violations[0].message


def test_the_same_unit_cannot_be_both_main_and_copy_recipient() -> None:
    e = notice(copy_recipients=(Recipient("xs-fgj", "县发改局"),))
    (violation,) = check(e)
    assert violation.path == "copy_recipients[0]" and "主送" in violation.message


def test_a_malformed_doc_number_is_reported_on_its_field() -> None:
    (violation,) = check(notice(doc_number="象政发(2026)3号"))
    assert violation.path == "doc_number" and "六角括号" in violation.message
    assert check(notice(doc_number="象政发〔2026〕3号")) == []


def test_all_violations_are_reported_at_once() -> None:
    e = notice(title="", issuer_mark="", issuer_names=(), identifier="", copy_number="1")
    assert sorted(paths(check(e))) == ["copy_number", "identifier", "issuer_mark", "issuer_names", "title"]


def test_attachment_notes_follow_attachment_order() -> None:
    from docflow.rules.elements import AttachmentRef

    e = notice(attachments=(AttachmentRef("项目清单", "a" * 64), AttachmentRef("资金安排表", "b" * 64)))
    assert e.attachment_notes == ("1. 项目清单", "2. 资金安排表")
