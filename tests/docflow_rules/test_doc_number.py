"""发文字号: formatting and strict parsing with messages that say what to fix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docflow.rules.doc_number import DocNumber, DocNumberError, format_doc_number, is_doc_number, parse_doc_number


def test_a_well_formed_number_parses_into_its_parts() -> None:
    assert parse_doc_number("象政发〔2008〕70号") == DocNumber("象政发", 2008, 70)


def test_formatting_uses_hexagonal_brackets_and_no_padding() -> None:
    assert format_doc_number(DocNumber("象政办发", 2026, 5)) == "象政办发〔2026〕5号"
    assert str(DocNumber("象政发", 2026, 12)) == "象政发〔2026〕12号"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("象政发[2008]70号", "六角括号"),
        ("象政发（2008）70号", "六角括号"),
        ("象政发【2008】70号", "六角括号"),
        ("象政发2008年70号", "六角括号"),
        ("象政发〔08〕70号", "四位"),
        ("象政发〔2008〕第70号", "不加“第”"),
        ("象政发〔2008〕070号", "不编虚位"),
        ("象政发〔2008〕70", "以“号”结尾"),
        ("XZF〔2008〕70号", "汉字"),
        ("", "为空"),
    ],
)
def test_a_near_miss_is_refused_with_the_fix(text: str, hint: str) -> None:
    with pytest.raises(DocNumberError, match=hint) as refused:
        parse_doc_number(text)
    assert refused.value.code == "doc_number.format"
    assert not is_doc_number(text)


def test_parts_are_checked_when_building_a_number() -> None:
    with pytest.raises(DocNumberError, match="从 1 开始"):
        DocNumber("象政发", 2026, 0)
    with pytest.raises(DocNumberError, match="四位"):
        DocNumber("象政发", 26, 1)
    with pytest.raises(DocNumberError, match="汉字"):
        DocNumber("XZ发", 2026, 1)


@given(
    daizi=st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
    year=st.integers(1949, 2999),
    seq=st.integers(1, 100_000),
)
def test_format_and_parse_are_inverse(daizi: str, year: int, seq: int) -> None:
    number = DocNumber(daizi, year, seq)
    assert parse_doc_number(format_doc_number(number)) == number
