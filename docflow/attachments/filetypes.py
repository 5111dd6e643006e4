"""Which files may be attached to an official document, decided from their bytes, never from what the client says.

Pure rules: `sniff(head)` looks at the first bytes; a ZIP container is told apart (OFD, DOCX, XLSX) by the names of
its entries, read by the caller and passed to `classify_zip(names)`. Executables, scripts, macro-enabled Office
files, legacy OLE Office files and bare archives are refused with a message saying what to upload instead: the
archive's 安全性 check (no executables or macros) must hold for everything we ever accept. The file name's
extension must agree with the detected kind, so a PDF cannot travel as `报告.exe` and a renamed executable cannot
pass as `报告.pdf`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

# How many leading bytes `sniff` needs to decide (a text file is judged on these too).
HEAD_BYTES = 64 * 1024


class RefusedFile(ValueError):
    """The file may not be attached; the message says why and what to do instead."""


class FileKind(StrEnum):
    PDF = "pdf"
    OFD = "ofd"
    DOCX = "docx"
    XLSX = "xlsx"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    XML = "xml"
    TXT = "txt"


@dataclass(frozen=True)
class KindInfo:
    label: str
    media_type: str
    extensions: tuple[str, ...]


KINDS: dict[FileKind, KindInfo] = {
    FileKind.PDF: KindInfo("PDF", "application/pdf", (".pdf",)),
    FileKind.OFD: KindInfo("OFD", "application/ofd", (".ofd",)),
    FileKind.DOCX: KindInfo(
        "Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
    ),
    FileKind.XLSX: KindInfo(
        "Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
    ),
    FileKind.JPEG: KindInfo("JPEG 图片", "image/jpeg", (".jpg", ".jpeg")),
    FileKind.PNG: KindInfo("PNG 图片", "image/png", (".png",)),
    FileKind.TIFF: KindInfo("TIFF 图片", "image/tiff", (".tif", ".tiff")),
    FileKind.XML: KindInfo("XML", "application/xml", (".xml",)),
    FileKind.TXT: KindInfo("文本", "text/plain; charset=utf-8", (".txt",)),
}

ALLOWED_LABEL = "PDF、OFD、DOCX、XLSX、JPEG、PNG、TIFF、XML、TXT"

_EXECUTABLE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xfe\xed\xfa\xce", "macOS 可执行程序"),
    (b"\xfe\xed\xfa\xcf", "macOS 可执行程序"),
    (b"\xce\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xca\xfe\xba\xbe", "macOS 或 Java 可执行程序"),
    (b"#!", "脚本"),
)
_EXECUTABLE_EXTENSIONS = frozenset({
    ".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".sh",
    ".jar", ".apk", ".app", ".lnk", ".hta", ".cpl", ".pif", ".reg",
})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04",)
_EMPTY_ZIP = b"PK\x05\x06"
_UTF8_BOM = b"\xef\xbb\xbf"
# Control characters never found in a plain text file (tab, LF, CR and form feed are fine).
_TEXT_CONTROLS = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def extension_of(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def check_filename(filename: str) -> None:
    """Refuse names of executables before a single byte is stored."""
    if extension_of(filename) in _EXECUTABLE_EXTENSIONS:
        raise RefusedFile(f"不能上传可执行程序或脚本（{extension_of(filename)}）：公文附件只接受 {ALLOWED_LABEL}")


def is_zip(head: bytes) -> bool:
    return head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP)


def sniff(head: bytes) -> FileKind | None:
    """The kind of a non-ZIP file from its first bytes; None for a ZIP (ask `classify_zip`). Refuses the rest."""
    if not head:
        raise RefusedFile("文件是空的，请重新选择")
    for magic, what in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            raise RefusedFile(f"不能上传{what}：公文附件只接受 {ALLOWED_LABEL}")
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if is_zip(head):
        return None
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return FileKind.TIFF
    if head.startswith(_OLE_MAGIC):
        raise RefusedFile("不接受旧版 Office 文件（.doc/.xls）：请另存为 DOCX/XLSX，或转为 PDF/OFD 后上传")
    text = _as_text(head)
    if text is None:
        raise RefusedFile(f"无法识别的文件类型：公文附件只接受 {ALLOWED_LABEL}")
    if text.lstrip().startswith("<?xml"):
        return FileKind.XML
    return FileKind.TXT


def _as_text(head: bytes) -> str | None:
    """UTF-8 text without binary control characters, allowing a character cut off at the end of `head`."""
    data = head.removeprefix(_UTF8_BOM)
    if any(byte in _TEXT_CONTROLS for byte in data):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and len(head) >= HEAD_BYTES:
            return data[: exc.start].decode("utf-8", errors="strict")
        return None


def classify_zip(names: Collection[str]) -> FileKind:
    """OFD, DOCX or XLSX by the entries a ZIP container holds; macros and bare archives are refused."""
    lowered = {name.lower() for name in names}
    if any(name.endswith("vbaproject.bin") for name in lowered):
        raise RefusedFile("文件含有宏（VBA），不能作为公文附件：请另存为不含宏的 DOCX/XLSX，或转为 PDF/OFD")
    if "ofd.xml" in lowered:
        return FileKind.OFD
    if "[content_types].xml" in lowered:
        if "word/document.xml" in lowered:
            return FileKind.DOCX
        if "xl/workbook.xml" in lowered:
            return FileKind.XLSX
    raise RefusedFile(f"不接受压缩包：请解压后分别上传其中的文件（{ALLOWED_LABEL}）")


def check_extension(filename: str, kind: FileKind) -> None:
    """The name must say what the bytes are, so a reader's program opens the file correctly."""
    info = KINDS[kind]
    extension = extension_of(filename)
    if extension not in info.extensions:
        shown = extension or "（无扩展名）"
        raise RefusedFile(
            f"文件名的扩展名 {shown} 与文件内容（{info.label}）不符：请使用 {'、'.join(info.extensions)} 扩展名"
        )
