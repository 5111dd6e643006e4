"""``render_file`` (exposed as ``oa render``): a JSON description in, an archival PDF out, or a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_probe import PdfProbe
from render_samples import seal_png

from docflow.render import RenderError
from docflow.render.cli import render_file

DOCUMENT = {
    "doc_type": "通知",
    "organ_mark": "象山县人民政府办公室文件",
    "doc_number": "象政办发〔2026〕30号",
    "title": "象山县人民政府办公室关于开展政务数据质量检查的通知",
    "main_recipients": "县政府各部门",
    "body": [
        "为提高政务数据质量，决定开展一次全面检查。",
        {"level": 1, "text": "一、检查范围"},
        {"level": 0, "text": "县政府各部门管理的政务数据。"},
    ],
    "attachment_notes": ["政务数据质量检查表"],
    "issuer_signature": "象山县人民政府办公室",
    "date": "2026-06-01",
    "seal_image": "seal.png",
    "cc": "县委办公室",
    "printer": "象山县人民政府办公室",
    "print_date": "2026-06-02",
    "attachments": [{"title": "政务数据质量检查表", "body": ["一、数据完整性"]}],
}


def write(tmp_path: Path, data: object) -> Path:
    (tmp_path / "seal.png").write_bytes(seal_png())
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_json_document_is_written_as_a_pdf_with_its_seal(tmp_path: Path) -> None:
    out = tmp_path / "doc.pdf"
    render_file(write(tmp_path, DOCUMENT), out, {})
    probe = PdfProbe(out.read_bytes(), "cli")
    assert "象政办发〔2026〕30号" in probe.text(0)
    assert any(page.images for page in probe.reader.pages)
    assert probe.page_count == 4
    assert not (tmp_path / "doc.pdf.partial").exists()


def test_a_preview_needs_no_number(tmp_path: Path) -> None:
    out = tmp_path / "draft.pdf"
    render_file(write(tmp_path, {**DOCUMENT, "doc_number": None}), out, {}, preview=True)
    assert "预览稿" in PdfProbe(out.read_bytes()).text(0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**DOCUMENT, "date": "2026-13-01"}, "date"),
        ({**DOCUMENT, "colour": "red"}, "colour"),
        ({**DOCUMENT, "body": [{"level": 7, "text": "x"}]}, "level"),
        ({**DOCUMENT, "seal_image": "missing.png"}, "印章"),
        ({**DOCUMENT, "doc_type": "便条"}, "文种"),
        ([1, 2, 3], "公文描述格式"),
    ],
)
def test_bad_json_is_refused_and_no_pdf_is_left_behind(tmp_path: Path, data: object, message: str) -> None:
    out = tmp_path / "doc.pdf"
    with pytest.raises(RenderError, match=message):
        render_file(write(tmp_path, data), out, {})
    assert not out.exists()


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(RenderError, match="JSON"):
        render_file(path, tmp_path / "doc.pdf", {})
