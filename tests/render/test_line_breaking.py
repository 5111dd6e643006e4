"""Chinese line breaking on the 28-character grid (避头尾), measured with the real fonts but without drawing."""

from __future__ import annotations

import pytest

from docflow.render.fontfiles import FontSet
from docflow.render.fonts import FontRole
from docflow.render.linebreak import NO_LINE_END, NO_LINE_START, Line, break_lines, set_line
from docflow.render.typeset import GRID_SPACING, Typesetter

WIDTH = 156.0
PITCH = WIDTH / 28


def lines_of(font_set: FontSet, text: str, first_width: float | None = None) -> list[Line]:
    glyphs = Typesetter(font_set).glyphs(text, FontRole.FANGSONG, 16.0, GRID_SPACING, "测试")
    return break_lines(glyphs, WIDTH, first_width)


def test_28_chinese_characters_fill_a_line_exactly(font_set: FontSet) -> None:
    lines = lines_of(font_set, "政" * 60)
    assert [len(line.glyphs) for line in lines] == [28, 28, 4]
    assert [line.last for line in lines] == [False, False, True]


def test_a_first_line_indented_two_characters_holds_26(font_set: FontSet) -> None:
    lines = lines_of(font_set, "政" * 60, first_width=WIDTH - 2 * PITCH)
    assert [len(line.glyphs) for line in lines] == [26, 28, 6]


def test_a_comma_that_would_start_a_line_hangs_at_the_end_of_the_previous_one(font_set: FontSet) -> None:
    lines = lines_of(font_set, "政" * 28 + "，" + "府" * 5)
    assert lines[0].text == "政" * 28 + "，" and lines[0].hanging
    assert lines[1].text == "府" * 5


def test_two_closing_marks_carry_the_last_character_with_them(font_set: FontSet) -> None:
    lines = lines_of(font_set, "政" * 28 + "。”" + "府" * 3)
    assert lines[0].text == "政" * 27 and not lines[0].hanging
    assert lines[1].text.startswith("政。”")


def test_an_opening_mark_never_ends_a_line(font_set: FontSet) -> None:
    lines = lines_of(font_set, "政" * 27 + "《通知》" + "府" * 3)
    assert lines[0].text == "政" * 27
    assert lines[1].text.startswith("《")


def test_a_number_is_not_cut_in_two(font_set: FontSet) -> None:
    lines = lines_of(font_set, "政" * 26 + "20260309" + "府")
    assert lines[0].text == "政" * 26
    assert lines[1].text.startswith("20260309")


def test_an_opening_bracket_goes_down_with_the_web_address_after_it(font_set: FontSet) -> None:
    lines = lines_of(font_set, "政" * 22 + "“象山” （www.xiangshan.gov.cn）")
    assert lines[0].text.endswith("” ")
    assert lines[1].text.startswith("（www.xiangshan.gov.cn）")


def test_a_number_longer_than_a_line_is_cut_rather_than_overflowing(font_set: FontSet) -> None:
    lines = lines_of(font_set, "1" * 120)
    assert len(lines) > 1
    assert all(sum(g.width for g in line.glyphs) <= WIDTH + 0.01 for line in lines)


@pytest.mark.parametrize("text", ["政" * 30 + "，" * 5, "（" * 40, "—" * 70, "。" * 60])
def test_runs_of_punctuation_still_break_into_lines_that_fit(font_set: FontSet, text: str) -> None:
    lines = lines_of(font_set, text)
    assert "".join(line.text for line in lines) == text
    for line in lines:
        inked = line.glyphs[:-1] if line.hanging else line.glyphs
        assert sum(g.width for g in inked) <= WIDTH + 0.01


def test_a_full_line_is_justified_and_a_last_line_is_not(font_set: FontSet) -> None:
    first, last = lines_of(font_set, "到2025年，" + "政" * 40)
    boxes = set_line(first, x=28.0, baseline=50.0, width=WIDTH, size_pt=16.0, spacing=GRID_SPACING)
    end = boxes[-1].x + boxes[-1].face.advance(boxes[-1].text[-1]) * 16 * 25.4 / 72 + GRID_SPACING
    assert end == pytest.approx(28.0 + WIDTH, abs=0.01)
    boxes = set_line(last, x=28.0, baseline=60.0, width=WIDTH, size_pt=16.0, spacing=GRID_SPACING)
    assert len(boxes) == 1 and boxes[0].letter_spacing == pytest.approx(GRID_SPACING)


def test_the_break_rules_cover_the_chinese_marks() -> None:
    assert set("，。、；：？！）》”") <= NO_LINE_START
    assert set("（《“〔") <= NO_LINE_END
