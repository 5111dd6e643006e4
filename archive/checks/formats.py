"""What a file really is, judged from its bytes (magic numbers), not from its name.

Pure functions over a ``DocumentRecord``'s head and tail samples and the markers the reader found
anywhere in the file (see ``archive/eep/payload.py``). Used by the usability checks (format whitelist,
does it open, is it encrypted) and the security checks (executables, macros).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from enum import StrEnum

from lxml import etree

from archive.eep.model import DocumentRecord
from oa.settings import SettingsError

ZIP_LOCAL = b"PK\x03\x04"
ZIP_CENTRAL = b"PK\x01\x02"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
VBA_MARKERS = (b"vbaProject.bin", "_VBA_PROJECT".encode("utf-16-le"))


class FileKind(StrEnum):
    PDF = "PDF"
    PDFA = "PDF/A"
    OFD = "OFD"
    XML = "XML"
    TXT = "TXT"
    JPEG = "JPEG"
    PNG = "PNG"
    TIFF = "TIFF"
    ZIP = "ZIP"
    OOXML = "OOXML"
    OLE = "OLE"
    PE = "PE"
    ELF = "ELF"
    MACHO = "Mach-O"
    SCRIPT = "脚本"
    EMPTY = "空文件"
    UNKNOWN = "未知"


EXECUTABLE_KINDS = frozenset({FileKind.PE, FileKind.ELF, FileKind.MACHO, FileKind.SCRIPT})
DEFAULT_WHITELIST = frozenset(
    {FileKind.PDFA, FileKind.OFD, FileKind.XML, FileKind.TXT, FileKind.JPEG, FileKind.PNG, FileKind.TIFF}
)
FORMATS_VARIABLE = "OA_ARCHIVE_FORMATS"
# Never acceptable for keeping, whatever the archive's policy: the 安全性 and 可用性 checks would be meaningless.
_NEVER_ACCEPTED = EXECUTABLE_KINDS | {FileKind.EMPTY, FileKind.UNKNOWN}


def accepted_formats(extra_settings: Mapping[str, str]) -> frozenset[FileKind]:
    """The formats the usability check accepts: `OA_ARCHIVE_FORMATS` (names separated by commas), or the default
    list of long-term formats. An archive that takes plain PDF or Office files from its units says so here."""
    raw = (extra_settings.get(FORMATS_VARIABLE) or "").strip()
    if not raw:
        return DEFAULT_WHITELIST
    by_name = {kind.value.upper(): kind for kind in FileKind if kind not in _NEVER_ACCEPTED}
    kinds: set[FileKind] = set()
    for name in re.split(r"[,，、\s]+", raw):
        if not name:
            continue
        kind = by_name.get(name.upper())
        if kind is None:
            raise SettingsError(f"{FORMATS_VARIABLE} 中的 {name!r} 不是可接收的归档格式；可选：{'、'.join(by_name)}")
        kinds.add(kind)
    return frozenset(kinds)


SCRIPT_EXTENSIONS = frozenset({"bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf", "sh", "hta", "scr", "com"})
# The extensions each detected kind may carry; a mismatch means the name lies about the content.
EXTENSIONS: dict[FileKind, frozenset[str]] = {
    FileKind.PDF: frozenset({"pdf"}),
    FileKind.PDFA: frozenset({"pdf"}),
    FileKind.OFD: frozenset({"ofd"}),
    FileKind.XML: frozenset({"xml"}),
    FileKind.TXT: frozenset({"txt", "csv"}),
    FileKind.JPEG: frozenset({"jpg", "jpeg"}),
    FileKind.PNG: frozenset({"png"}),
    FileKind.TIFF: frozenset({"tif", "tiff"}),
    FileKind.OOXML: frozenset({"docx", "xlsx", "pptx", "docm", "xlsm", "pptm"}),
    FileKind.OLE: frozenset({"doc", "xls", "ppt", "wps", "et"}),
    FileKind.ZIP: frozenset({"zip"}),
}


def zip_entry_names(sample: bytes) -> list[str]:
    """File names in the zip local or central headers found in ``sample`` (a head or tail slice)."""
    names: list[str] = []
    for signature, name_at, lengths_at in ((ZIP_LOCAL, 30, 26), (ZIP_CENTRAL, 46, 28)):
        start = sample.find(signature)
        while start >= 0 and start + name_at <= len(sample):
            name_length = struct.unpack_from("<H", sample, start + lengths_at)[0]
            names.append(sample[start + name_at : start + name_at + name_length].decode("utf-8", "replace"))
            start = sample.find(signature, start + 4)
    return names


def zip_is_encrypted(sample: bytes) -> bool:
    """Bit 0 of the general-purpose flag of any local or central header in ``sample``."""
    for signature, flag_at in ((ZIP_LOCAL, 6), (ZIP_CENTRAL, 8)):
        start = sample.find(signature)
        while start >= 0 and start + flag_at + 2 <= len(sample):
            if struct.unpack_from("<H", sample, start + flag_at)[0] & 1:
                return True
            start = sample.find(signature, start + 4)
    return False


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the sample's end is fine
                return True
            continue
        return True
    return False


def detect_kind(document: DocumentRecord) -> FileKind:
    head = document.head
    if not head:
        return FileKind.EMPTY
    if head.startswith(b"%PDF-"):
        return FileKind.PDFA if b"pdfaid:part" in document.markers else FileKind.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return FileKind.TIFF
    if head.startswith(b"MZ"):
        return FileKind.PE
    if head.startswith(b"\x7fELF"):
        return FileKind.ELF
    if head[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    ):
        return FileKind.MACHO
    if head.startswith(OLE):
        return FileKind.OLE
    if head.startswith(ZIP_LOCAL):
        names = zip_entry_names(head) + zip_entry_names(document.tail)
        if any(name.lower() == "ofd.xml" for name in names):
            return FileKind.OFD
        if any(name.startswith(("word/", "xl/", "ppt/")) or name == "[Content_Types].xml" for name in names):
            return FileKind.OOXML
        return FileKind.ZIP
    if head.startswith(b"#!") or document.extension in SCRIPT_EXTENSIONS:
        return FileKind.SCRIPT
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"<?xml", b"<")) and _is_text(head):
        return FileKind.XML
    if _is_text(head):
        return FileKind.TXT
    return FileKind.UNKNOWN


def opens(document: DocumentRecord, kind: FileKind) -> str | None:
    """``None`` if the file's structure looks whole for its kind, else why it would not open."""
    head, tail, whole = document.head, document.tail, document.actual_size <= len(document.head)
    if kind in (FileKind.PDF, FileKind.PDFA):
        return None if b"%%EOF" in tail[-1024:] else "PDF 文件末尾没有 %%EOF（文件不完整或已损坏）"
    if kind is FileKind.PNG:
        return None if head[12:16] == b"IHDR" and b"IEND" in tail[-12:] else "PNG 缺少 IHDR 或 IEND 块（文件不完整）"
    if kind is FileKind.JPEG:
        return None if tail.rstrip(b"\x00").endswith(b"\xff\xd9") else "JPEG 末尾没有 EOI 标记（文件不完整）"
    if kind in (FileKind.OFD, FileKind.OOXML, FileKind.ZIP):
        return None if b"PK\x05\x06" in tail else "压缩包缺少中央目录结束记录（文件不完整）"
    if kind is FileKind.XML and whole:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            etree.fromstring(head, parser)
        except etree.XMLSyntaxError as exc:
            return f"XML 不是格式良好的：{exc}"
    return None


def encryption(document: DocumentRecord, kind: FileKind) -> str | None:
    """Why the file is encrypted (so unreadable without a key), or ``None``."""
    if kind in (FileKind.PDF, FileKind.PDFA) and b"/Encrypt" in document.markers:
        return "PDF 已加密（trailer 含 /Encrypt）"
    if kind in (FileKind.ZIP, FileKind.OFD, FileKind.OOXML) and (
        zip_is_encrypted(document.head) or zip_is_encrypted(document.tail)
    ):
        return "压缩包中的条目已加密"
    if kind is FileKind.OLE and "EncryptedPackage".encode("utf-16-le") in document.head + document.tail:
        return "Office 文件已加密（EncryptedPackage）"
    return None


def macros(document: DocumentRecord, kind: FileKind) -> str | None:
    if any(marker in document.markers for marker in VBA_MARKERS):
        return "含 VBA 宏工程"
    if kind is FileKind.OLE:
        return "旧版 Office（OLE 复合文档）可携带宏，不作为归档格式接收"
    if b"/JavaScript" in document.markers:
        return "PDF 含 JavaScript 动作"
    return None
