"""Bad input renders legibly or is refused with a message that names the problem; it never crashes and never
prints a blank where a character should be."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest
from render_probe import PdfProbe
from render_samples import notice, opinion, paragraph, request

from docflow.render import BodyBlock, FontError, RenderError
from docflow.render.fontfiles import FontSet
from docflow.render.layout import lay_out
from docflow.render.linebreak import NO_LINE_START
from docflow.render.pdf import render_with_fonts

BLOCK_LEFT, BLOCK_RIGHT = 28.0, 184.0
CLOSING = NO_LINE_START  # the marks that may hang past the right edge rather than start a line


def test_a_200_character_title_wraps_into_centred_lines_inside_the_block(font_set: FontSet) -> None:
    title = ("关于进一步加强和改进全县政务服务数字化转型工作的若干意见" * 8)[:200]
    probe = PdfProbe(render_with_fonts(replace(notice(), title=title), font_set), "long-title")
    lines = probe.lines(0, size=22.0) + probe.lines(1, size=22.0)
    assert "".join(c.text for line in lines for c in line) == title
    assert len(lines) == 10
    for line in lines:
        assert line[0].x0 >= BLOCK_LEFT - 0.1 and line[-1].x1 <= BLOCK_RIGHT + 8


def test_very_long_recipients_and_cc_wrap_instead_of_running_off_the_page(font_set: FontSet) -> None:
    recipients = "、".join(f"第{n}镇人民政府" for n in range(1, 40))
    doc = replace(notice(), main_recipients=recipients, cc="，".join(f"县第{n}局" for n in range(1, 30)))
    probe = PdfProbe(render_with_fonts(doc, font_set), "long-recipients")
    for page in range(probe.page_count):
        for char in probe.chars[page]:
            if char.x0 > BLOCK_RIGHT - 0.5:
                assert char.text in CLOSING, f"{char.text!r} runs past the text block"


def test_a_long_url_without_spaces_is_broken_inside_the_block(font_set: FontSet) -> None:
    url = "https://www.xiangshan.gov.cn/" + "a" * 150 + "/index.html"
    doc = replace(notice(), body=(BodyBlock(0, f"详见{url}。"),))
    probe = PdfProbe(render_with_fonts(doc, font_set), "long-url")
    text = "".join(c.text for line in probe.lines(0) for c in line)
    assert url in text
    assert all(c.x1 <= BLOCK_RIGHT + 0.2 for c in probe.chars[0] if c.text == "a")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "关于\u0007报警的通知", "U+0007"),
        ("title", "关于报警\n的通知", "另起一个段落"),
        ("main_recipients", "各镇\u200b政府", "U+200B"),
        ("organ_mark", "象山县人民政府" * 4 + "文件", "发文机关标志"),
        ("doc_number", "象政办发〔2026〕" + "1" * 80 + "号", "发文字号"),
        ("doc_type", "便函", "文种"),
        ("doc_number", None, "发文字号"),
        ("copy_no", "17", "份号"),
        ("classification", "内部", "密级"),
        ("urgency", "很急", "紧急程度"),
        ("seal_image", b"GIF89a not a png", "PNG"),
        ("title", " ", "标题"),
        ("letter_format", True, "信函格式"),
        ("print_date", None, "印发日期"),
    ],
)
def test_bad_fields_are_refused_with_a_message_naming_them(
    font_set: FontSet, field: str, value: object, message: str
) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        lay_out(replace(notice(), **{field: value}), font_set)


def test_a_signer_name_too_long_for_the_line_is_refused(font_set: FontSet) -> None:
    doc = replace(request(), signers=("欧阳" * 20,))
    with pytest.raises(RenderError, match="签发人"):
        lay_out(doc, font_set)


def test_a_character_no_configured_font_has_is_refused_by_name(font_set: FontSet) -> None:
    rare = "\U0002a6d6"  # the last ideograph of CJK Extension B: in none of the Debian CJK fonts
    doc = replace(notice(), body=(BodyBlock(0, f"地名用字{rare}，须造字。"),))
    with pytest.raises(FontError, match=re.escape("U+2A6D6")) as refused:
        lay_out(doc, font_set)
    assert "正文第1段" in str(refused.value)


def test_a_preview_may_lack_its_number_but_a_final_copy_may_not(font_set: FontSet) -> None:
    draft = replace(opinion(), doc_number=None)
    assert lay_out(draft, font_set, preview=True)
    with pytest.raises(RenderError, match="正式稿必须有发文字号"):
        lay_out(draft, font_set)


def test_an_organ_mark_a_little_too_wide_is_compressed_to_the_block(font_set: FontSet) -> None:
    mark = "象山县人民政府办公室象山县发展和改革局文件"  # 21 characters of 15 mm: 315 mm wide
    with pytest.raises(RenderError, match="规范化简称"):
        lay_out(replace(notice(), organ_mark=mark), font_set)
    mark = "象山县人民政府办公室发展改革局文件"  # 17 characters: compressed, still legible
    pages = lay_out(replace(notice(), organ_mark=mark), font_set)
    boxes = [t for t in pages[0].texts if t.text and t.size_pt > 30]
    assert boxes and all(0.5 <= b.scale_x < 1 for b in boxes)
    probe = PdfProbe(render_with_fonts(replace(notice(), organ_mark=mark), font_set), "compressed-mark")
    big = [c for c in probe.chars[0] if c.size > 30]
    assert "".join(c.text for c in big) == mark
    assert min(c.x0 for c in big) >= BLOCK_LEFT - 0.2 and max(c.x1 for c in big) <= BLOCK_RIGHT + 0.2


def test_random_text_lays_out_inside_the_block_or_is_refused_cleanly(font_set: FontSet) -> None:
    pool = "公文处理规范化数字政府建设，。、；：？！（）《》“”〔〕……——0123456789ABCabc.%/ 　"
    rng = random.Random(9704)
    for _ in range(60):
        blocks = tuple(
            BodyBlock(rng.randint(0, 4), "".join(rng.choice(pool) for _ in range(rng.randint(1, 120))))
            for _ in range(rng.randint(1, 6))
        )
        title = "".join(rng.choice(pool) for _ in range(rng.randint(1, 80))).strip() or "标题"
        doc = replace(notice(), body=blocks, title=title)
        try:
            pages = lay_out(doc, font_set)
        except RenderError:
            continue
        for page in pages:
            for box in page.texts:
                assert box.x >= BLOCK_LEFT - 0.01
                advances = sum(box.face.advance(ch) * box.size_pt * 25.4 / 72 for ch in box.text)
                width = advances * box.scale_x + box.letter_spacing * (len(box.text) - 1)
                hangs = box.text[-1] in CLOSING
                # the last glyph of a grid line reaches 0.073 mm past the block: 28 ems of 16 pt are 158 mm
                allowance = 0.1 + (box.size_pt * 25.4 / 72 if hangs else 0.0)  # a hanging mark: one em more
                assert box.x + width <= BLOCK_RIGHT + allowance, box.text


def _pages_for(font_set: FontSet, sentences: int) -> list:  # type: ignore[type-arg]
    body = tuple(BodyBlock(0, paragraph(n, 1)) for n in range(sentences))
    return lay_out(replace(notice(), body=body, attachment_notes=()), font_set)


def test_the_imprint_always_lands_on_an_even_page_and_extra_pages_are_unnumbered(font_set: FontSet) -> None:
    seen_blank_before_imprint = seen_imprint_alone = False
    for sentences in range(1, 40):
        pages = _pages_for(font_set, sentences)
        assert len(pages) % 2 == 0
        last = pages[-1]
        assert any(box.text.endswith("印发") for box in last.texts)
        if len(pages) >= 3 and pages[-2].is_blank:
            # 版记页前有空白页的，空白页和版记页均不编排页码
            assert pages[-2].number is None and last.number is None
            seen_blank_before_imprint = True
        elif not any(box.text == "2026年1月20日" for box in last.texts):
            assert last.number == len(pages)  # a page holding only the 版记, right behind the text
            seen_imprint_alone = True
        numbered = [page.number for page in pages if page.number is not None]
        assert numbered == list(range(1, len(numbered) + 1))
    assert seen_blank_before_imprint and seen_imprint_alone
