"""`oa render` as people run it: a JSON description in, a PDF/A file out; bad input ends with exit code 1 and a
message on stderr, and leaves no file behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from docflow.render import FontConfig
from docflow.render.fontfiles import resolve_fonts
from docflow.rendering.seal_image import draw_seal
from tests.rendering.rendering_helpers import save_pages, text_of

ROOT = Path(__file__).resolve().parents[2]


def description(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "doc_type": "通知",
        "organ_mark": "象山县人民政府文件",
        "doc_number": "象政发〔2026〕21号",
        "title": "关于开展2026年度安全生产大检查的通知",
        "main_recipients": "各镇（乡）人民政府、街道办事处，县政府各部门",
        "body": ["为切实加强安全生产工作，县政府决定开展安全生产大检查。",
                 {"level": 1, "text": "一、检查范围"}, "全县各类生产经营单位。"],
        "issuer_signature": "象山县人民政府",
        "date": "2026-04-02",
        "seal_image": "seal.png",
        "printer": "象山县人民政府办公室",
        "print_date": "2026-04-03",
    }
    document.update(overrides)
    return document


def run_render(tmp_path: Path, document: dict[str, Any], *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "seal.png").write_bytes(draw_seal("象山县人民政府", resolve_fonts(FontConfig.defaults())))
    (tmp_path / "doc.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OA_FONT_")}
    return subprocess.run([sys.executable, "-m", "oa.cli", "render", "doc.json", "-o", "out.pdf", *extra],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_oa_render_writes_the_described_document_as_pdf(tmp_path):
    done = run_render(tmp_path, description())
    assert done.returncode == 0, done.stderr
    assert "out.pdf" in done.stdout
    pdf = (tmp_path / "out.pdf").read_bytes()
    save_pages("command-notice", pdf)
    text = text_of(pdf)
    assert pdf.startswith(b"%PDF-")
    assert "关于开展2026年度安全生产大检查的通知" in text and "象政发〔2026〕21号" in text and "一、检查范围" in text


def test_oa_render_refuses_an_unknown_field_and_writes_nothing(tmp_path):
    done = run_render(tmp_path, description(colour="red"))
    assert done.returncode == 1
    assert "无法排版" in done.stderr and "colour" in done.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_oa_render_names_a_character_no_font_has(tmp_path):
    done = run_render(tmp_path, description(title="关于𪛖字的通知"))
    assert done.returncode == 1
    assert "U+2A6D6" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.pdf").exists()
