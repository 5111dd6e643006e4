"""The structured body: recognising heading numbers, rendering with positional numbering,
renumbering after edits, the inversion rule, canonical JSON and the version diff."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docflow.rules.body import (
    Block,
    BodyError,
    body_from_json,
    body_to_json,
    chinese_numeral,
    parse_body,
    render_body,
    renumber,
    validate_body,
)
from docflow.rules.body_diff import DiffOp, diff_bodies, summarise

SAMPLE = """各乡镇人民政府，县政府各部门：
一、总体要求
坚持稳中求进。
（一）加强组织领导。各单位要高度重视。
1.明确责任分工
（1）乡镇负总责
（2）部门抓落实
2.强化督查考核
（二）加大资金投入
二、工作安排
"""


def test_plain_text_is_split_into_levelled_blocks() -> None:
    blocks = parse_body(SAMPLE)
    assert [b.level for b in blocks] == [0, 1, 0, 2, 3, 4, 4, 3, 2, 1]
    assert blocks[1] == Block(1, "总体要求")
    assert blocks[3] == Block(2, "加强组织领导。各单位要高度重视。")
    assert blocks[5] == Block(4, "乡镇负总责")


def test_ascii_parentheses_and_full_width_points_are_recognised_too() -> None:
    blocks = parse_body("(一)标题\n(1)细目\n3．要点\n十二、第十二部分\n4、顿号写法")
    assert [b.level for b in blocks] == [2, 4, 3, 1, 3]
    assert render_body(blocks).splitlines()[-1] == "1.顿号写法", "a level-1 heading restarts the deeper counters"


def test_a_number_alone_or_a_decimal_is_not_a_heading() -> None:
    assert parse_body("2.5亿元已拨付")[0].level == 0
    assert parse_body("一、")[0] == Block(0, "一、")


def test_rendering_numbers_by_position_and_resets_deeper_levels() -> None:
    text = render_body(parse_body(SAMPLE))
    lines = text.splitlines()
    assert lines[1] == "一、总体要求"
    assert lines[3] == "（一）加强组织领导。各单位要高度重视。"
    assert lines[4:8] == ["1.明确责任分工", "（1）乡镇负总责", "（2）部门抓落实", "2.强化督查考核"]
    assert lines[8] == "（二）加大资金投入"
    assert lines[9] == "二、工作安排"
    assert lines[0].startswith("\u3000\u3000"), "paragraphs are indented two characters"


def test_inserting_a_section_renumbers_the_following_ones() -> None:
    blocks = list(parse_body(SAMPLE))
    blocks.insert(1, Block(1, "  背景\n情况  "))
    text = render_body(renumber(blocks))
    assert "一、背景 情况" in text and "二、总体要求" in text and "三、工作安排" in text


def test_wrong_numbers_in_the_source_are_corrected_on_render() -> None:
    assert render_body(parse_body("一、甲\n三、乙\n五、丙")) == "一、甲\n二、乙\n三、丙"


@pytest.mark.parametrize(
    ("n", "numeral"),
    [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (105, "一百零五"), (110, "一百一十")],
)
def test_chinese_numerals(n: int, numeral: str) -> None:
    assert chinese_numeral(n) == numeral


def test_skipping_a_level_is_allowed_as_offices_do() -> None:
    assert validate_body(parse_body("一、甲\n1.细目\n2.细目\n二、乙")) == []
    assert validate_body(parse_body("（一）甲\n（二）乙")) == []


def test_an_inverted_order_under_one_parent_is_reported() -> None:
    (issue,) = validate_body(parse_body("一、甲\n1.细目\n（一）倒置\n二、乙"))
    assert issue.index == 2 and issue.code == "body.inverted" and "不能倒置" in issue.message


def test_each_parent_may_choose_its_own_child_level() -> None:
    assert validate_body(parse_body("一、甲\n1.细目\n二、乙\n（一）子项")) == []


def test_an_empty_body_or_blank_block_is_reported() -> None:
    assert [i.code for i in validate_body(())] == ["body.empty"]
    assert [i.code for i in validate_body((Block(0, "正文"), Block(1, " ")))] == ["body.blank"]


def test_levels_outside_zero_to_four_are_refused() -> None:
    with pytest.raises(BodyError):
        Block(5, "x")


def test_canonical_json_is_stable_and_round_trips() -> None:
    blocks = parse_body(SAMPLE)
    data = body_to_json(blocks)
    assert data.startswith('[{"level":0,"text":"各乡镇人民政府，县政府各部门："}')
    assert body_from_json(data) == blocks
    assert body_to_json(body_from_json(data)) == data


@pytest.mark.parametrize(
    "bad", ["{", "{}", '[{"level":1}]', '[{"level":"1","text":"x"}]', '[{"level":true,"text":"x"}]']
)
def test_malformed_stored_bodies_are_refused(bad: str) -> None:
    with pytest.raises(BodyError):
        body_from_json(bad)


levels = st.integers(0, 4)
texts = st.text(alphabet="甲乙丙丁的是在有和。，", min_size=1, max_size=12)


@given(st.lists(st.builds(Block, levels, texts), max_size=30))
def test_render_then_parse_gives_the_same_blocks(blocks: list[Block]) -> None:
    assert parse_body(render_body(blocks)) == renumber(blocks)


@given(st.lists(st.builds(Block, levels, texts), max_size=30))
def test_json_round_trips_any_body(blocks: list[Block]) -> None:
    assert body_from_json(body_to_json(blocks)) == renumber(blocks)


def test_the_diff_shows_removed_and_added_lines_with_their_line_numbers() -> None:
    old = parse_body("一、总体要求\n坚持稳中求进。\n二、工作安排")
    new = parse_body("一、总体要求\n坚持稳中求进，确保完成任务。\n二、工作安排\n三、保障措施")
    rows = diff_bodies(old, new)
    assert [(r.op, r.old_line, r.new_line) for r in rows] == [
        (DiffOp.SAME, 1, 1),
        (DiffOp.REMOVED, 2, None),
        (DiffOp.ADDED, None, 2),
        (DiffOp.SAME, 3, 3),
        (DiffOp.ADDED, None, 4),
    ]
    assert rows[4].text == "三、保障措施"
    summary = summarise(rows)
    assert (summary.added, summary.removed, summary.unchanged, summary.changed) == (2, 1, 2, True)


def test_inserting_a_section_shows_the_renumbered_headings_as_changed() -> None:
    old = parse_body("一、甲\n二、乙")
    new = parse_body("一、新\n二、甲\n三、乙")
    rows = diff_bodies(old, new)
    assert {r.text for r in rows if r.op is DiffOp.ADDED} == {"一、新", "二、甲", "三、乙"}


def test_identical_versions_have_no_changes() -> None:
    blocks = parse_body(SAMPLE)
    assert not summarise(diff_bodies(blocks, blocks)).changed
