"""Elements to and from plain data, and the canonical bytes a seal signs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from docflow.rules.body import Block
from docflow.rules.elements import (
    AttachmentRef,
    Classification,
    DocType,
    Elements,
    PublicationLevel,
    Recipient,
    Urgency,
)
from docflow.rules.elements_codec import InvalidElements, canonical_bytes, elements_from_dict, elements_to_dict


def full() -> Elements:
    return Elements(
        doc_type=DocType.REQUEST,
        identifier="330225-0001-2026-000002",
        publication_level=PublicationLevel.ON_REQUEST,
        title="象山县人民政府关于申请专项资金的请示",
        issuer_mark="象山县人民政府文件",
        issuer_names=("象山县人民政府",),
        main_recipients=(Recipient("nb-gov", "宁波市人民政府"),),
        copy_recipients=(Recipient(None, "宁波市财政局"),),
        body=(Block(1, "基本情况"), Block(0, "……")),
        copy_number="000003",
        classification=Classification.CONFIDENTIAL,
        secrecy_period="1年",
        urgency=Urgency.URGENT,
        doc_number="象政〔2026〕4号",
        signers=("王某某",),
        attachments=(AttachmentRef("项目清单", "ab" * 32),),
        written_date=date(2026, 3, 2),
        seal="seal-xs-gov",
        notes="联系人：李某，电话：1234567",
        printing_organ="象山县人民政府办公室",
        printing_date=date(2026, 3, 3),
        page_count=4,
    )


def test_every_element_survives_a_round_trip_through_plain_data() -> None:
    assert elements_from_dict(elements_to_dict(full())) == full()


def test_ling_and_empty_optionals_are_read_as_users_type_them() -> None:
    data = elements_to_dict(full()) | {"doc_type": "令", "urgency": "", "classification": None, "copy_number": ""}
    e = elements_from_dict(data)
    assert (e.doc_type, e.urgency, e.classification, e.copy_number) == (DocType.ORDER, None, None, None)


def test_every_unreadable_field_is_reported_at_once() -> None:
    data = elements_to_dict(full()) | {
        "doc_type": "简报",
        "urgency": "急",
        "written_date": "2026年3月2日",
        "page_count": "四",
        "body": [{"level": 9, "text": "x"}],
    }
    with pytest.raises(InvalidElements) as refused:
        elements_from_dict(data)
    assert [v.path for v in refused.value.violations] == ["doc_type", "body", "urgency", "written_date", "page_count"]
    assert "决议" in refused.value.violations[0].message


def test_canonical_bytes_are_deterministic_and_ignore_the_seal_identity() -> None:
    assert canonical_bytes(full()) == canonical_bytes(full())
    assert canonical_bytes(full()) == canonical_bytes(replace(full(), seal=None))
    assert canonical_bytes(full()).startswith(b'{"attachments":[{"sha256":')


@pytest.mark.parametrize(
    "change",
    [
        {"title": "象山县人民政府关于申请专项资金的请示（修改）"},
        {"body": (Block(1, "基本情况"), Block(0, "……。"))},
        {"attachments": (AttachmentRef("项目清单", "cd" * 32),)},
        {"doc_number": "象政〔2026〕5号"},
        {"main_recipients": (Recipient("nb-gov", "宁波市政府"),)},
    ],
)
def test_any_change_to_content_changes_the_canonical_bytes(change: dict[str, object]) -> None:
    assert canonical_bytes(replace(full(), **change)) != canonical_bytes(full())  # type: ignore[arg-type]


def test_canonical_bytes_do_not_depend_on_unicode_composition() -> None:
    composed = replace(full(), notes="é")
    decomposed = replace(full(), notes="e\u0301")
    assert canonical_bytes(composed) == canonical_bytes(decomposed)
