"""Font roles come from the environment, fall back with a clear warning when a font is missing, and the face
that was configured is the face embedded in the PDF."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from render_probe import PdfProbe
from render_samples import notice, request

from docflow.render import FontConfig, FontError, FontRole
from docflow.render.fontfiles import resolve_fonts
from docflow.render.fonts import FontSpec
from docflow.render.pdf import render_pdf

ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def test_each_role_reads_its_own_variable_and_keeps_the_defaults_behind_it() -> None:
    config = FontConfig.from_environ({"OA_FONT_KAITI": "Some Kai:bold", "OA_FONT_HEITI": "  ", "PATH": "/bin"})
    assert config.chains[FontRole.KAITI][0] == FontSpec("Some Kai", bold=True)
    assert FontSpec("AR PL UKai CN") in config.chains[FontRole.KAITI]
    assert config.chains[FontRole.HEITI] == FontConfig.defaults().chains[FontRole.HEITI]
    assert set(config.configured) == {FontRole.KAITI}


def test_a_value_starting_with_a_slash_names_a_font_file() -> None:
    assert FontSpec.parse("/opt/fonts/FZXBSJW.ttf") == FontSpec(path=Path("/opt/fonts/FZXBSJW.ttf"))


@pytest.mark.parametrize("value", ['Evil"; } body {', "Noto,Serif", "Noto=Serif"])
def test_a_family_name_with_css_or_fontconfig_syntax_is_refused(value: str) -> None:
    with pytest.raises(FontError, match="不允许的字符"):
        FontConfig.from_environ({"OA_FONT_HEITI": value})


@pytest.mark.parametrize("value", [":italic", "Noto Serif CJK SC:italic"])
def test_an_unknown_style_is_refused(value: str) -> None:
    with pytest.raises(FontError, match="样式"):
        FontConfig.from_environ({"OA_FONT_FANGSONG": value})


def test_a_missing_font_falls_back_with_a_warning_naming_the_variable(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="docflow.render.fontfiles"):
        fonts = resolve_fonts(FontConfig.from_environ({"OA_FONT_FANGSONG": "FangSong_GB2312"}))
    warning = next(r.getMessage() for r in caplog.records if "OA_FONT_FANGSONG" in r.getMessage())
    assert "仿宋" in warning and "FangSong_GB2312" in warning and "改用" in warning
    assert fonts.primary(FontRole.FANGSONG).path.name == "NotoSerifCJK-Regular.ttc"
    assert fonts.face_for(FontRole.FANGSONG, "政") is not None


def test_a_missing_font_file_also_falls_back(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="docflow.render.fontfiles"):
        fonts = resolve_fonts(FontConfig.from_environ({"OA_FONT_KAITI": "/nonexistent/kai.ttf"}))
    assert any("/nonexistent/kai.ttf" in r.getMessage() for r in caplog.records)
    assert fonts.primary(FontRole.KAITI).path.name == "ukai.ttc"


def test_a_font_file_given_for_a_role_is_the_one_embedded() -> None:
    environ = {"OA_FONT_HEITI": str(ZENHEI)}
    probe = PdfProbe(render_pdf(notice(), FontConfig.from_environ(environ)), "zenhei")
    heiti = {c.font for c in probe.chars[0] if c.text in "机密特急"}
    assert len(heiti) == 1
    embedded = {name: descriptor for name, descriptor in probe.font_descriptors()}
    program = embedded["/" + heiti.pop()]["/FontFile2"].get_data()
    family = TTFont(io.BytesIO(program))["name"].getDebugName(1)
    assert family == "WenQuanYi Zen Hei"


def test_a_family_name_given_for_a_role_is_the_one_embedded() -> None:
    environ = {"OA_FONT_KAITI": "WenQuanYi Zen Hei"}
    probe = PdfProbe(render_pdf(request(), FontConfig.from_environ(environ)), "family")
    header = [line for line in probe.lines(0) if "签发人" in "".join(c.text for c in line)]
    names = [c for c in header[0] if c.text in "张明远李华"]
    assert len(names) == 5
    assert all("WenQuanYi-Zen-Hei" in c.font for c in names)
