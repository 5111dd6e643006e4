"""The pure file-type rules: what is accepted, what is refused, and that the name must match the bytes."""

from __future__ import annotations

import pytest

from docflow.attachments.filetypes import (
    HEAD_BYTES,
    FileKind,
    RefusedFile,
    check_extension,
    check_filename,
    classify_zip,
    sniff,
)
from tests.docflow_attachments.helpers import ELF, EXE, JPEG, OLE_DOC, PDF, PNG, SCRIPT, TIFF, TXT, XML


@pytest.mark.parametrize(("head", "kind"), [
    (PDF, FileKind.PDF), (PNG, FileKind.PNG), (JPEG, FileKind.JPEG), (TIFF, FileKind.TIFF),
    (b"MM\x00*" + bytes(8), FileKind.TIFF), (XML, FileKind.XML), (b"\xef\xbb\xbf" + XML, FileKind.XML),
    (TXT, FileKind.TXT), (b"PK\x03\x04", None),
])
def test_kinds_are_recognised_by_their_first_bytes(head: bytes, kind: FileKind | None):
    assert sniff(head) is kind


def test_a_text_head_cut_inside_a_character_is_still_text():
    head = ("公" * (HEAD_BYTES // 3 + 1)).encode()[:HEAD_BYTES]
    assert len(head) == HEAD_BYTES and sniff(head) is FileKind.TXT


@pytest.mark.parametrize("head", [EXE, ELF, SCRIPT, OLE_DOC, b"", b"\x00\x00binary", "GBK编码".encode("gbk")])
def test_executables_legacy_office_empty_and_binary_files_are_refused(head: bytes):
    with pytest.raises(RefusedFile):
        sniff(head)


@pytest.mark.parametrize(("names", "kind"), [
    ({"OFD.xml", "Doc_0/Document.xml"}, FileKind.OFD),
    ({"[Content_Types].xml", "word/document.xml"}, FileKind.DOCX),
    ({"[Content_Types].xml", "xl/workbook.xml"}, FileKind.XLSX),
])
def test_zip_containers_are_told_apart_by_their_entries(names: set[str], kind: FileKind):
    assert classify_zip(names) is kind


@pytest.mark.parametrize(("names", "needle"), [
    ({"[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"}, "宏"),
    ({"setup.exe"}, "压缩包"),
    (set(), "压缩包"),
])
def test_macros_and_bare_archives_are_refused(names: set[str], needle: str):
    with pytest.raises(RefusedFile, match=needle):
        classify_zip(names)


def test_the_name_must_say_what_the_bytes_are():
    check_extension("方案.PDF", FileKind.PDF)
    check_extension("照片.jpeg", FileKind.JPEG)
    with pytest.raises(RefusedFile, match="无扩展名"):
        check_extension("方案", FileKind.PDF)
    with pytest.raises(RefusedFile, match=r"\.docx"):
        check_extension("方案.doc", FileKind.DOCX)
    for name in ("setup.exe", "run.BAT", "x.ps1", "a.js"):
        with pytest.raises(RefusedFile, match="可执行程序"):
            check_filename(name)
    check_filename("报告.pdf")
