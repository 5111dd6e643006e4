"""The national layout (GB/T 9704-2012), checked on the rendered PDF itself: positions come from the PDF's
text and drawing operators (pdfplumber) and from its pixels as poppler draws them, never from the layout code.
The expected numbers are the standard's, written out here on purpose."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from render_probe import NUMBER_RE, PdfProbe, dark_pixel, ink_rows, is_red, is_wide, red_pixel

BLOCK_LEFT, BLOCK_TOP, BLOCK_WIDTH, BLOCK_HEIGHT = 28.0, 37.0, 156.0, 225.0
BLOCK_RIGHT, BLOCK_BOTTOM = BLOCK_LEFT + BLOCK_WIDTH, BLOCK_TOP + BLOCK_HEIGHT
LINE_PITCH = BLOCK_HEIGHT / 22
CHAR_4HAO = 14 * 25.4 / 72
CLOSING = set("，。、；：？！）》」』】〕〉”’…%％")
DPI = 150

Render = Callable[[str], PdfProbe]


@pytest.mark.parametrize("name", ["opinion", "notice", "request", "letter", "attachments"])
def test_every_page_is_a4(rendered: Render, name: str) -> None:
    for width, height in rendered(name).sizes:
        assert width == pytest.approx(210, abs=0.1)
        assert height == pytest.approx(297, abs=0.1)


def _mark_chars(probe: PdfProbe) -> list:  # type: ignore[type-arg]
    return [c for c in probe.chars[0] if c.size > 30]


@pytest.mark.parametrize("name", ["opinion", "notice", "request"])
def test_the_organ_mark_is_red_and_its_top_edge_is_35_mm_below_the_text_block(rendered: Render, name: str) -> None:
    probe = rendered(name)
    mark = _mark_chars(probe)
    assert mark, "no large characters for the 发文机关标志 on page 1"
    assert all(is_red(c.color) for c in mark)
    rows = ink_rows(probe.raster(0, DPI), DPI, (BLOCK_LEFT, BLOCK_TOP, BLOCK_RIGHT, 120), red_pixel)
    assert min(rows) == pytest.approx(BLOCK_TOP + 35, abs=1.0)


def _doc_number_line(probe: PdfProbe, number: str) -> list:  # type: ignore[type-arg]
    for line in probe.lines(0):
        if number in "".join(c.text for c in line):
            return line
    raise AssertionError(f"发文字号 {number} not found on page 1")


@pytest.mark.parametrize(("name", "number"), [("opinion", "象政发〔2026〕12号"), ("notice", "象政办发〔2026〕3号")])
def test_the_doc_number_is_centred_two_lines_under_the_mark(rendered: Render, name: str, number: str) -> None:
    probe = rendered(name)
    line = _doc_number_line(probe, number)
    centre = (line[0].x0 + line[-1].x1) / 2
    assert centre == pytest.approx(BLOCK_LEFT + BLOCK_WIDTH / 2, abs=0.6)
    image = probe.raster(0, DPI)
    mark_bottom = max(ink_rows(image, DPI, (BLOCK_LEFT, BLOCK_TOP, BLOCK_RIGHT, line[0].baseline - 8), red_pixel))
    # 下空二行: two empty lines of 3号 type between the mark and the number (about 20 mm, give or take the
    # half-leading of the number's own line).
    gap = line[0].baseline - mark_bottom
    assert 2 * LINE_PITCH < gap < 3 * LINE_PITCH


@pytest.mark.parametrize(("name", "number"), [("opinion", "象政发〔2026〕12号"), ("request", "象政〔2026〕5号")])
def test_the_red_separator_spans_the_block_4_mm_under_the_doc_number(rendered: Render, name: str, number: str) -> None:
    probe = rendered(name)
    red_rules = [r for r in probe.rules[0] if is_red(r.color) and r.width > 100]
    assert len(red_rules) == 1
    rule = red_rules[0]
    assert rule.x0 == pytest.approx(BLOCK_LEFT, abs=0.2)
    assert rule.width == pytest.approx(BLOCK_WIDTH, abs=0.2)
    line = _doc_number_line(probe, number)
    baseline = line[0].baseline
    number_ink = ink_rows(
        probe.raster(0, DPI), DPI, (line[0].x0, baseline - 7, line[-1].x1, rule.top - 0.5), dark_pixel
    )
    assert rule.top - max(number_ink) == pytest.approx(4.0, abs=1.0)


def test_the_title_is_2hao_centred_and_two_lines_below_the_red_line(rendered: Render) -> None:
    probe = rendered("opinion")
    rule = next(r for r in probe.rules[0] if is_red(r.color))
    title_lines = probe.lines(0, size=22.0)
    assert "".join(c.text for line in title_lines for c in line) == "象山县人民政府关于加快推进数字政府建设的意见"
    first = title_lines[0]
    assert (first[0].x0 + first[-1].x1) / 2 == pytest.approx(BLOCK_LEFT + BLOCK_WIDTH / 2, abs=0.6)
    assert 2 * LINE_PITCH < first[0].baseline - rule.top < 4 * LINE_PITCH


def _body_lines(probe: PdfProbe, page: int) -> list[list]:  # type: ignore[type-arg]
    return [line for line in probe.lines(page) if BLOCK_TOP < line[0].baseline < BLOCK_BOTTOM]


def test_a_full_page_holds_22_lines_on_a_225_mm_grid(rendered: Render) -> None:
    probe = rendered("opinion")
    assert probe.page_count >= 3
    for page in (1, 2):
        lines = _body_lines(probe, page)
        assert len(lines) == 22
        baselines = [line[0].baseline for line in lines]
        steps = [b - a for a, b in itertools.pairwise(baselines)]
        assert all(step == pytest.approx(LINE_PITCH, abs=0.05) for step in steps)
        assert baselines[0] > BLOCK_TOP and baselines[-1] < BLOCK_BOTTOM


def test_every_full_line_of_chinese_holds_28_characters_on_the_grid(rendered: Render) -> None:
    probe = rendered("opinion")
    checked = 0
    for page in range(probe.page_count):
        lines = _body_lines(probe, page)
        for line, following in itertools.pairwise(lines):
            continues = following[0].x0 == pytest.approx(BLOCK_LEFT, abs=0.3)
            if not continues or line[0].x0 != pytest.approx(BLOCK_LEFT, abs=0.3):
                continue
            inside = [c for c in line if c.x0 < BLOCK_RIGHT - 0.5]
            hanging = [c for c in line if c.x0 >= BLOCK_RIGHT - 0.5]
            assert all(c.text in CLOSING for c in hanging), "only a closing mark may hang past the block"
            if not all(is_wide(c.text) for c in inside):
                continue  # lines with Latin digits are justified, not on the character grid
            assert len(inside) == 28, "".join(c.text for c in line)
            assert inside[-1].x0 == pytest.approx(BLOCK_LEFT + 27 * BLOCK_WIDTH / 28, abs=0.1)
            checked += 1
    assert checked >= 30


def test_page_numbers_alternate_sides_one_character_in_with_the_dashes_7_mm_under_the_block(
    rendered: Render,
) -> None:
    probe = rendered("opinion")
    for page in range(probe.page_count):
        foot = [c for c in probe.chars[page] if c.baseline > BLOCK_BOTTOM and not c.text.isspace()]
        text = "".join(c.text for c in foot)
        match = NUMBER_RE.match(text)
        assert match, f"page {page + 1}: {text!r}"
        number = int(match.group(1))
        assert number == page + 1
        if number % 2:
            assert foot[-1].x1 == pytest.approx(BLOCK_RIGHT - CHAR_4HAO, abs=0.6)
        else:
            assert foot[0].x0 == pytest.approx(BLOCK_LEFT + CHAR_4HAO, abs=0.6)
        assert all(c.size == pytest.approx(14, abs=0.1) for c in foot)
    dash = foot[0]
    image = probe.raster(probe.page_count - 1, DPI)
    rows = ink_rows(image, DPI, (dash.x0 + 0.5, BLOCK_BOTTOM + 2, dash.x1 - 0.5, BLOCK_BOTTOM + 14), dark_pixel)
    assert sum(rows) / len(rows) == pytest.approx(BLOCK_BOTTOM + 7, abs=1.0)


def test_headings_are_set_in_heiti_then_kaiti_then_fangsong(rendered: Render) -> None:
    probe = rendered("opinion")
    fonts: dict[str, set[str]] = {}
    for page in range(probe.page_count):
        for line in _body_lines(probe, page):
            text = "".join(c.text for c in line)
            for start in ("一、充分认识", "（一）统筹规划", "1.加强组织领导", "（1）建立工作专班"):
                if text.startswith(start):
                    fonts.setdefault(start, set()).update(c.font.split("+")[-1] for c in line[: len(start)])
    assert fonts["一、充分认识"] == {"Noto-Sans-CJK-SC"}  # 黑体 role
    assert fonts["（一）统筹规划"] == {"AR-PL-UKai-CN"}  # 楷体 role
    assert fonts["（1）建立工作专班"] == {"Noto-Serif-CJK-SC"}  # 仿宋 role
    assert "Noto-Serif-CJK-SC" in fonts["1.加强组织领导"]


def test_the_imprint_sits_at_the_foot_of_the_last_even_page_between_thick_rules(rendered: Render) -> None:
    probe = rendered("opinion")
    last = probe.page_count - 1
    assert probe.page_count % 2 == 0
    text = probe.text(last)
    assert "抄送：县委各部门" in text and "2026年3月10日印发" in text
    rules = sorted((r for r in probe.rules[last] if not is_red(r.color)), key=lambda r: r.top)
    assert len(rules) == 3
    assert [round(r.height, 2) for r in rules] == [0.35, 0.25, 0.35]
    assert all(r.width == pytest.approx(BLOCK_WIDTH, abs=0.1) for r in rules)
    assert rules[-1].top + rules[-1].height == pytest.approx(BLOCK_BOTTOM, abs=0.1)
    imprint = [c for c in probe.chars[last] if c.size == pytest.approx(14, abs=0.1) and c.baseline < BLOCK_BOTTOM]
    assert all(rules[0].top < c.baseline < rules[-1].top for c in imprint)
    printed = [c for c in imprint if c.baseline > rules[1].top]
    assert "".join(c.text for c in printed).startswith("象山县人民政府办公室")
    assert printed[-1].x1 == pytest.approx(BLOCK_RIGHT - CHAR_4HAO, abs=0.3)


def test_a_short_notice_gets_a_second_page_for_its_imprint_and_shows_its_marks(rendered: Render) -> None:
    probe = rendered("notice")
    assert probe.page_count == 2
    top_left = [line for line in probe.lines(0) if line[0].baseline < BLOCK_TOP + 35]
    assert ["".join(c.text for c in line) for line in top_left] == ["000017", "机密★5年", "特急"]
    assert all(line[0].x0 == pytest.approx(BLOCK_LEFT, abs=0.2) for line in top_left)
    assert "印发" in probe.text(1)
    assert "附件：1. 象山县春节期间安全生产检查表2. 象山县" in probe.text(0) + probe.text(1)


def test_a_request_shows_its_signers_on_the_right_and_its_number_on_the_left(rendered: Render) -> None:
    probe = rendered("request")
    lines = probe.lines(0)
    first = next(line for line in lines if "签发人" in "".join(c.text for c in line))
    last = next(line for line in lines if "象政〔2026〕5号" in "".join(c.text for c in line))
    assert "".join(c.text for c in first).replace("\u3000", "") == "签发人：张明远李华"
    assert first[-1].x1 == pytest.approx(BLOCK_RIGHT - BLOCK_WIDTH / 28, abs=0.6)
    assert last[0].x0 == pytest.approx(BLOCK_LEFT + BLOCK_WIDTH / 28, abs=0.3)
    assert "王建国" in "".join(c.text for c in last)
    assert last[0].baseline - first[0].baseline == pytest.approx(LINE_PITCH, abs=0.05)
    everything = "".join(probe.text(p) for p in range(probe.page_count))
    assert "2026年2月14日（联系人：陈静，电话：0574-65721234）" in everything


def test_a_letter_has_red_double_lines_head_and_foot_and_no_number_on_its_first_page(
    rendered: Render,
) -> None:
    probe = rendered("letter")
    red = sorted((r for r in probe.rules[0] if is_red(r.color)), key=lambda r: r.top)
    assert len(red) == 4
    assert all(r.width == pytest.approx(170, abs=0.1) for r in red)
    assert red[0].height > red[1].height and red[3].height > red[2].height  # 上粗下细 / 上细下粗
    assert red[3].top + red[3].height == pytest.approx(297 - 20, abs=0.1)
    rows = ink_rows(probe.raster(0, DPI), DPI, (BLOCK_LEFT, 10, BLOCK_RIGHT, red[0].top - 0.5), red_pixel)
    assert min(rows) == pytest.approx(30, abs=1.0)
    assert not [c for c in probe.chars[0] if c.baseline > BLOCK_BOTTOM and c.text.isdigit()]
    number = next(line for line in probe.lines(0) if "象政办函" in "".join(c.text for c in line))
    assert number[-1].x1 == pytest.approx(BLOCK_RIGHT, abs=0.3)
    assert "印发" not in probe.text(0) and "抄送：象山县大数据发展中心。" in probe.text(0)


def test_attachments_start_on_new_pages_under_their_labels(rendered: Render) -> None:
    probe = rendered("attachments")
    starts = [
        p
        for p in range(probe.page_count)
        if probe.lines(p) and "".join(c.text for c in probe.lines(p)[0]) in ("附件1", "附件2")
    ]
    assert len(starts) == 2
    for page in starts:
        label = probe.lines(page)[0]
        assert label[0].x0 == pytest.approx(BLOCK_LEFT, abs=0.2)
        assert label[0].font.endswith("Noto-Sans-CJK-SC")  # 黑体
        title = probe.lines(page, size=22.0)[0]
        # 第三行: the centres of the two lines' em boxes (0.38 em above the baseline) are two lines apart.
        title_centre = title[0].baseline - 0.38 * 22 * 25.4 / 72
        label_centre = label[0].baseline - 0.38 * 16 * 25.4 / 72
        assert title_centre - label_centre == pytest.approx(2 * LINE_PITCH, abs=0.2)
    assert "附件：1.象山县政务服务一网通办实施方案" in probe.text(0).replace(" ", "")
    assert probe.page_count % 2 == 0 and "印发" in probe.text(probe.page_count - 1)


def test_the_seal_is_printed_over_the_signature_and_date(rendered: Render) -> None:
    probe = rendered("opinion")
    page = next(p for p in range(probe.page_count) if "2026年3月9日" in probe.text(p))
    date = next(line for line in probe.lines(page) if "".join(c.text for c in line) == "2026年3月9日")
    # 成文日期右空四字
    assert date[-1].x1 == pytest.approx(BLOCK_RIGHT - 4 * BLOCK_WIDTH / 28, abs=0.5)
    image = probe.raster(page, DPI)
    rows = ink_rows(image, DPI, (date[0].x0 - 10, BLOCK_TOP, date[-1].x1 + 10, BLOCK_BOTTOM), red_pixel)
    assert min(rows) < date[0].baseline - LINE_PITCH < date[0].baseline < max(rows)


def _all_lines(probe: PdfProbe) -> list[list]:  # type: ignore[type-arg]
    return [line for page in range(probe.page_count) for line in _body_lines(probe, page)]


def test_a_long_attachment_name_wraps_under_its_own_first_character(rendered: Render) -> None:
    lines = _all_lines(rendered("notice"))
    index = next(i for i, line in enumerate(lines) if "".join(c.text for c in line).startswith("2.象山县春节期间值班"))
    second = lines[index]
    name_start = next(c for c in second if c.text == "象")
    assert lines[index + 1][0].x0 == pytest.approx(name_start.x0, abs=0.1)
    first = lines[index - 1]
    assert "".join(c.text for c in first).startswith("附件：1.")
    assert first[0].x0 == pytest.approx(BLOCK_LEFT + 2 * BLOCK_WIDTH / 28, abs=0.1)  # 左空二字
    assert second[0].x0 == pytest.approx(next(c for c in first if c.text == "1").x0, abs=0.1)


def test_without_a_seal_the_signature_stands_two_characters_in_and_the_date_two_further(rendered: Render) -> None:
    lines = _all_lines(rendered("request"))
    texts = ["".join(c.text for c in line) for line in lines]
    name = lines[texts.index("象山县人民政府")]
    date = lines[texts.index("2026年2月14日")]
    cell = BLOCK_WIDTH / 28
    assert name[-1].x0 == pytest.approx(BLOCK_RIGHT - 3 * cell, abs=0.1)  # 右空二字: last character's cell
    assert date[0].x0 == pytest.approx(name[0].x0 + 2 * cell, abs=0.1)  # 首字比署名首字右移二字
    assert date[0].baseline - name[0].baseline == pytest.approx(LINE_PITCH, abs=0.05)


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("request", ["象山县人民政府关于", "申请数字政府建设专项资金的请示"]),
        ("opinion", ["象山县人民政府关于", "加快推进数字政府建设的意见"]),
    ],
)
def test_a_two_line_title_breaks_after_its_guanyu(rendered: Render, name: str, lines: list[str]) -> None:
    title = rendered(name).lines(0, size=22.0)
    assert ["".join(c.text for c in line) for line in title] == lines
    for line in title:
        assert (line[0].x0 + line[-1].x1) / 2 == pytest.approx(BLOCK_LEFT + BLOCK_WIDTH / 2, abs=0.6)
