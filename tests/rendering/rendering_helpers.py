"""Helpers for the rendering tests: driving a document to 用印 through the API, reading PDFs back as text and
lines, and keeping each PDF's pages as PNG in ``artifacts/rendering/`` for people to look at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pdfplumber

from tests.docflow.helpers import Desk, People, act, to_register

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "rendering"
MM = 72 / 25.4  # PDF points per millimetre


def request_content(**overrides: Any) -> dict[str, Any]:
    """A 请示 to the county's superior, with the signer the drafter expects."""
    content: dict[str, Any] = {
        "doc_type": "请示", "title": "关于申请防汛救灾专项资金的请示", "urgency": None,
        "issuer_mark": "象山县人民政府文件", "issuer_names": ["象山县人民政府"], "daizi": "象政",
        "main_recipients": [{"unit_code": None, "name": "宁波市人民政府"}], "copy_recipients": [],
        "body": [{"level": 0, "text": "今年第6号台风造成我县较大损失，恳请市政府安排防汛救灾专项资金。"},
                 {"level": 0, "text": "妥否，请批示。"}],
        "signers": ["王建国"], "notes": "联系人：李明，电话：65712345", "printing_organ": "",
    }
    content.update(overrides)
    return content


async def draft(client: Any, content: dict[str, Any]) -> int:
    response = await client.post("/api/documents", json={"content": content})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def sealed(desk: Desk, people: People, **overrides: Any) -> int:
    """A 通知 (or the overridden content) taken through 核稿, 签发 by xsx.leader, 登记 and 用印."""
    doc_id = await to_register(desk, people, **overrides)
    registrar = await desk("xsx.registrar")
    await act(registrar, doc_id, "assign_number")
    await act(registrar, doc_id, "approve", opinion="已登记")
    view = await act(registrar, doc_id, "seal")
    assert view["state"] == "dispatching", view["state"]
    return doc_id


async def pdf_of(client: Any, url: str, name: str) -> bytes:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    save_pages(name, response.content)
    return response.content


def text_of(pdf: bytes) -> str:
    """All text of the PDF with white space removed (the layout breaks lines wherever the grid says)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in document.pages))


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in document.pages]


def preview_marks(pdf: bytes) -> list[str]:
    """Per page, the huge diagonal characters (the 预览稿 mark), in drawing order: text extraction of rotated
    glyphs would reverse them."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return ["".join(c["text"] for c in page.chars if c["size"] > 100) for page in document.pages]


def wide_red_rules_mm(pdf: bytes) -> list[float]:
    """Widths (mm) of the red horizontal rules on page 1 that are wider than 100 mm (版头 separators)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        shapes = [*page.rects, *page.lines]
        widths = []
        for shape in shapes:
            colour = shape.get("non_stroking_color") or shape.get("stroking_color") or ()
            red = isinstance(colour, tuple | list) and len(colour) == 3 and colour[0] > 0.7 and colour[1] < 0.3
            if red and shape["width"] > 100 * MM and shape["height"] < 2 * MM:
                widths.append(round(shape["width"] / MM))
        return sorted(widths)


def save_pages(name: str, pdf: bytes) -> None:
    """The PDF and its pages at 60 dpi as PNG, under artifacts/rendering/<name>*."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm (Debian poppler-utils) is needed to keep the pages as PNG"
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run([tool, "-png", "-r", "60", str(source), str(ARTIFACTS / name)], check=True, timeout=60)

