"""归档预检: would a document's attachments pass the archive's 可用性 check? Asked while they can still be replaced.

The archive runs the four checks when a package arrives; a file outside its format list (`OA_ARCHIVE_FORMATS`), one
that does not open or one that is encrypted fails 可用性, and the archivist can only return the item. By then the
document is sealed and its attachments frozen (the seal signs their digests), so the unit cannot mend it. The
drafting screen therefore asks here, as soon as a file is stored, and is told exactly what the intake would say:
the stored file is sampled the way the package reader samples a payload (head, tail, markers anywhere in the file)
and judged by the intake's own functions (`detect_kind`, `opens`, `encryption`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archive.checks.formats import FileKind, detect_kind, encryption, opens
from archive.eep.model import DocumentRecord
from archive.eep.payload import SAMPLE_BYTES, markers_for

_CHUNK = 1024 * 1024

# What each kind is called for the person who has to convert it, and what to convert it to.
_LABELS: dict[FileKind, str] = {
    FileKind.PDF: "普通 PDF（不是 PDF/A）",
    FileKind.PDFA: "PDF/A",
    FileKind.OFD: "OFD",
    FileKind.XML: "XML",
    FileKind.TXT: "纯文本",
    FileKind.JPEG: "JPEG 图片",
    FileKind.PNG: "PNG 图片",
    FileKind.TIFF: "TIFF 图片",
    FileKind.OOXML: "Word/Excel/PowerPoint 文档（OOXML）",
    FileKind.OLE: "旧版 Office 文档",
    FileKind.ZIP: "ZIP 压缩包",
}
_CONVERT_TO = (FileKind.PDFA, FileKind.OFD)


@dataclass(frozen=True)
class FileFacts:
    """What the 可用性 check looks at in a file, whatever the format list: its kind, whether it opens (None when it
    does, else why not), whether it is encrypted (None when not, else how)."""

    kind: FileKind
    broken: str | None
    locked: str | None


@dataclass(frozen=True)
class FileVerdict:
    format: FileKind
    accepted: bool
    problems: tuple[str, ...]


def label_of(kind: FileKind) -> str:
    return _LABELS.get(kind, kind.value)


def sample_file(path: Path, *, identifier: str, title: str, file_name: str) -> DocumentRecord:
    """The file as the package reader would record it after decoding: size, head, tail and the markers found
    anywhere in it. Reads the file once, a chunk at a time, so a large attachment costs no memory."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        head = stream.read(SAMPLE_BYTES)
        wanted = markers_for(head)
        found = {marker for marker in wanted if marker in head}
        overlap = max((len(marker) for marker in wanted), default=1) - 1
        previous = head
        while len(found) < len(wanted):
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            seam = previous[-overlap:] + chunk[:overlap] if overlap else b""  # a marker split across two reads
            found.update(marker for marker in wanted if marker in chunk or marker in seam)
            previous = chunk
        stream.seek(max(0, size - SAMPLE_BYTES))
        tail = stream.read(SAMPLE_BYTES)
    return DocumentRecord(
        identifier=identifier, role="附件", title=title, file_name=file_name, format_info="", declared_size=size,
        declared_digests={}, actual_size=size, actual_digests={}, base64_error=None, head=head, tail=tail,
        markers=frozenset(found),
    )


def facts_of(record: DocumentRecord) -> FileFacts:
    kind = detect_kind(record)
    return FileFacts(kind, opens(record, kind), encryption(record, kind))


@lru_cache(maxsize=4096)
def facts_of_stored_file(path: Path, file_name: str) -> FileFacts:
    """The facts of a stored attachment, read once per process. The store names a file by its SHA-256, so the bytes
    at `path` never change; only the name's extension (which the kind also looks at) is part of the key."""
    return facts_of(sample_file(path, identifier="", title="", file_name=file_name))


def verdict_of(facts: FileFacts, accepted: frozenset[FileKind]) -> FileVerdict:
    """What the intake's 可用性 check would find wrong with this file, each problem with what to do about it."""
    problems: list[str] = []
    if facts.kind not in accepted:
        targets = "、".join(k.value for k in _CONVERT_TO if k in accepted) or formats_label(accepted)
        problems.append(f"{label_of(facts.kind)}不在档案馆接收的格式内（{formats_label(accepted)}），"
                        f"归档时可用性检测不会通过；请另存为 {targets} 后重新上传")
    if facts.broken is not None:
        problems.append(f"{facts.broken}，归档时可用性检测不会通过；请重新导出该文件后上传")
    if facts.locked is not None:
        problems.append(f"{facts.locked}，档案馆无法打开加密文件；请去掉密码保护后重新上传")
    return FileVerdict(facts.kind, not problems, tuple(problems))


def formats_label(accepted: frozenset[FileKind]) -> str:
    return "、".join(sorted(kind.value for kind in accepted))
