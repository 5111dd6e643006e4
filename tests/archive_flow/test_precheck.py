"""归档预检: the drafter learns at upload which attachments the archive's 可用性 check would refuse, judged exactly as
the intake judges the same bytes inside a package, while the attachments can still be replaced."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from archive.checks.formats import DEFAULT_WHITELIST, FileKind, accepted_formats, detect_kind
from archive.checks.precheck import facts_of, facts_of_stored_file, sample_file, verdict_of
from archive.eep.payload import SAMPLE_BYTES, PayloadDecoder
from docflow.attachments.blobs import BlobStore
from oa.settings import Settings
from tests.archive_flow.helpers import dispatched_notice, item_row, transfer
from tests.docflow.helpers import Desk, create
from tests.docflow_attachments.helpers import DOCX, PDF, upload
from tests.docflow_attachments.helpers import PNG as PNG_WITHOUT_END

XMP = b"<x:xmpmeta><rdf:Description pdfaid:part=\"2\" pdfaid:conformance=\"B\"/></x:xmpmeta>"
PDFA = b"%PDF-1.7\n1 0 obj<</Type/Metadata/Subtype/XML>>stream\n" + XMP + b"\nendstream endobj\n%%EOF\n"
TRUNCATED_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = png()


def big_pdfa(tmp_path: Path) -> Path:
    """A PDF/A whose only PDF/A mark straddles the second 1 MiB read after the 64 KiB head: found only across the
    seam between two reads, as the package reader finds it across two decoded pieces."""
    seam = SAMPLE_BYTES + 1024 * 1024
    marker = b"pdfaid:part"
    data = bytearray(b"%PDF-1.7\n" + b"0" * (seam - 5 - 9))
    data += marker + b"=\"2\"" + b"1" * 300_000 + b"\n%%EOF\n"
    assert data.index(marker) == seam - 5
    path = tmp_path / "big.pdf"
    path.write_bytes(bytes(data))
    return path


def as_package_reader_sees(data: bytes, file_name: str) -> Any:
    """The record the package reader makes of `data`: base64 fed in pieces of an awkward size."""
    decoder = PayloadDecoder(0)
    text = base64.b64encode(data)
    for start in range(0, len(text), 777_777):
        decoder.write(text[start:start + 777_777])
    decoder.close()
    return decoder


@pytest.mark.parametrize("name, data", [
    ("a.pdf", PDFA), ("plain.pdf", PDF), ("t.pdf", TRUNCATED_PDF), ("x.docx", DOCX), ("p.png", PNG),
    ("cut.png", PNG_WITHOUT_END),
    ("locked.pdf", b"%PDF-1.4\n" + b"x" * 70_000 + b"trailer<</Encrypt 5 0 R>>\n%%EOF\n"),
])
def test_a_stored_file_is_sampled_as_the_package_reader_samples_it(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    mine = sample_file(path, identifier="1", title=name, file_name=name)
    theirs = as_package_reader_sees(data, name)
    assert (mine.head, mine.tail, mine.actual_size) == (theirs.head, theirs.tail, theirs.size)
    assert mine.markers == frozenset(theirs.markers)


def test_a_mark_split_between_two_reads_is_found(tmp_path: Path) -> None:
    path = big_pdfa(tmp_path)
    record = sample_file(path, identifier="1", title="大文件", file_name="big.pdf")
    assert b"pdfaid:part" in record.markers and detect_kind(record) is FileKind.PDFA
    assert verdict_of(facts_of(record), DEFAULT_WHITELIST).accepted


def test_a_stored_file_is_read_once_and_judged_against_the_list_of_the_moment(tmp_path: Path) -> None:
    path = tmp_path / ("ab" * 32)  # the store names a file by its SHA-256: the bytes behind a name never change
    path.write_bytes(DOCX)
    first = facts_of_stored_file(path, "说明.docx")
    hits = facts_of_stored_file.cache_info().hits
    assert facts_of_stored_file(path, "说明.docx") is first and facts_of_stored_file.cache_info().hits == hits + 1
    assert first.kind is FileKind.OOXML
    assert not verdict_of(first, DEFAULT_WHITELIST).accepted
    assert verdict_of(first, accepted_formats({"OA_ARCHIVE_FORMATS": "PDF/A,OOXML"})).accepted


def test_each_problem_says_what_to_do(tmp_path: Path) -> None:
    def verdict(data: bytes, name: str, accepted: frozenset[FileKind] = DEFAULT_WHITELIST) -> Any:
        path = tmp_path / name
        path.write_bytes(data)
        return verdict_of(facts_of(sample_file(path, identifier="1", title=name, file_name=name)), accepted)

    assert verdict(PDFA, "a.pdf").accepted
    word = verdict(DOCX, "x.docx")
    assert word.format is FileKind.OOXML and not word.accepted
    assert "Word" in word.problems[0] and "请另存为 PDF/A、OFD 后重新上传" in word.problems[0]
    assert "JPEG、OFD、PDF/A、PNG、TIFF、TXT、XML" in word.problems[0]
    truncated = verdict(TRUNCATED_PDF, "t.pdf", accepted_formats({"OA_ARCHIVE_FORMATS": "PDF,PDF/A"}))
    assert truncated.format is FileKind.PDF and truncated.problems == (
        "PDF 文件末尾没有 %%EOF（文件不完整或已损坏），归档时可用性检测不会通过；请重新导出该文件后上传",)
    locked = verdict(b"%PDF-1.4\ntrailer<</Encrypt 5 0 R>>\n%%EOF\n", "l.pdf", accepted_formats(
        {"OA_ARCHIVE_FORMATS": "PDF"}))
    assert [p.split("，")[0] for p in locked.problems] == ["PDF 已加密（trailer 含 /Encrypt）"]
    cut = verdict(PNG_WITHOUT_END, "cut.png")
    assert cut.format is FileKind.PNG and "PNG 缺少 IHDR 或 IEND 块" in cut.problems[0]
    # An archive that takes neither PDF/A nor OFD names what it does take.
    pictures_only = verdict(PDF, "plain.pdf", accepted_formats({"OA_ARCHIVE_FORMATS": "PNG,TIFF"}))
    assert "请另存为 PNG、TIFF 后重新上传" in pictures_only.problems[0]


async def precheck(client: Any, document_id: int, expect: int = 200) -> dict[str, Any]:
    response = await client.get(f"/api/documents/{document_id}/archive-precheck")
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_drafter_sees_which_attachments_the_archive_would_refuse(demo: Any, desk: Desk) -> None:
    drafter = await desk("xsx.drafter")
    doc = (await create(drafter))["id"]
    assert await precheck(drafter, doc) == {
        "document_id": doc, "accepted_formats": sorted(k.value for k in DEFAULT_WHITELIST), "ready": True,
        "attachments": []}
    ids = {name: (await upload(drafter, doc, data, name))["id"]
           for name, data in (("实施方案.pdf", PDFA), ("报价单.pdf", PDF), ("说明.docx", DOCX), ("值班表.png", PNG))}
    result = await precheck(drafter, doc)
    assert not result["ready"]
    verdicts = {a["filename"]: (a["format"], a["accepted"]) for a in result["attachments"]}
    assert verdicts == {"实施方案.pdf": ("PDF/A", True), "报价单.pdf": ("PDF", False), "说明.docx": ("OOXML", False),
                        "值班表.png": ("PNG", True)}
    plain = next(a for a in result["attachments"] if a["filename"] == "报价单.pdf")
    assert plain["format_label"] == "普通 PDF（不是 PDF/A）" and "请另存为 PDF/A、OFD" in plain["problems"][0]
    for name in ("报价单.pdf", "说明.docx"):
        response = await drafter.delete(f"/api/documents/{doc}/attachments/{ids[name]}")
        assert response.status_code == 204, response.text
    assert (await precheck(drafter, doc))["ready"]
    # Read-only, for whoever may read the document (the unit's business users); nobody else.
    assert (await precheck(await desk("xsx.reviewer"), doc))["ready"]
    assert (await precheck(await desk("spz.drafter"), doc, expect=403))["status"] == 403
    assert "不存在" in (await precheck(drafter, 999_999, expect=404))["detail"]


async def test_a_file_missing_from_storage_is_named_and_the_others_still_judged(demo: Any, desk: Desk) -> None:
    drafter = await desk("xsx.drafter")
    doc = (await create(drafter))["id"]
    await upload(drafter, doc, PNG, "值班表.png")
    lost = await upload(drafter, doc, PDFA, "实施方案.pdf")
    BlobStore(demo.settings.data_dir).path_of(lost["sha256"]).unlink()
    result = await precheck(drafter, doc)
    verdicts = {a["filename"]: (a["accepted"], a["problems"]) for a in result["attachments"]}
    assert verdicts["值班表.png"] == (True, [])
    assert not verdicts["实施方案.pdf"][0] and "已不在存储中" in verdicts["实施方案.pdf"][1][0]
    assert not result["ready"]


async def test_the_precheck_agrees_with_the_intake(demo: Any, desk: Desk) -> None:
    registrar = await desk("xsx.registrar")
    refused = await dispatched_notice(desk, "关于报送防汛物资清单的通知", attachments=(("物资清单.docx", DOCX),))
    passing = await dispatched_notice(desk, "关于公布防汛值班安排的通知", attachments=(("值班表.png", PNG),))
    assert not (await precheck(registrar, refused))["ready"]
    assert (await precheck(registrar, passing))["ready"]

    refused_item = await transfer(registrar, refused)
    assert not refused_item["checks_passed"]
    formats = next(f for f in (await item_row(demo, refused_item["id"])).check_report["findings"]
                   if f["code"] == "GD-3-2")
    assert formats["result"] == "fail" and "物资清单.docx" in formats["explanation"] and "OOXML" in formats["explanation"]
    assert (await transfer(registrar, passing))["checks_passed"]


class TestAnArchiveThatTakesOfficeFiles:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        formats = "PDF/A,PDF,OFD,XML,TXT,JPEG,PNG,TIFF,OOXML"
        return replace(settings, extra={**settings.extra, "OA_ARCHIVE_FORMATS": formats})

    async def test_its_format_list_is_the_one_applied(self, demo: Any, desk: Desk) -> None:
        drafter = await desk("xsx.drafter")
        doc = (await create(drafter))["id"]
        await upload(drafter, doc, PDF, "报价单.pdf")
        await upload(drafter, doc, DOCX, "说明.docx")
        result = await precheck(drafter, doc)
        assert result["ready"] and "OOXML" in result["accepted_formats"]
        assert [a["problems"] for a in result["attachments"]] == [[], []]
