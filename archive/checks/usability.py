"""可用性 (usability): the metadata can be read and every file opens in a format the archive keeps."""

from __future__ import annotations

from archive.checks.context import CheckContext
from archive.checks.formats import detect_kind, encryption, opens
from archive.checks.report import CheckGroup, Finding, finding
from archive.eep.model import PackageMetadata

GROUP = CheckGroup.USABILITY
NON_PUBLIC_COMPRESSION = {b"Rar!\x1a\x07": "RAR", b"7z\xbc\xaf\x27\x1c": "7z"}


def check_usability(context: CheckContext, meta: PackageMetadata) -> list[Finding]:
    stage = context.stage
    whitelist = "、".join(sorted(kind.value for kind in context.format_whitelist))
    return [
        finding(stage, GROUP, 1, "元数据可读", [], ok=f"元数据已读出（{len(meta.fields)} 项）"),
        finding(
            stage,
            GROUP,
            2,
            "格式在归档格式清单内",
            _off_whitelist(meta, context),
            ok=f"全部文件格式属于：{whitelist}",
        ),
        finding(stage, GROUP, 3, "文件可以打开", _cannot_open(meta), ok="全部文件结构完整，可以打开"),
        finding(stage, GROUP, 4, "无加密、无非公开压缩", _locked_content(meta), ok="文件未加密、未使用非公开压缩"),
    ]


def _off_whitelist(meta: PackageMetadata, context: CheckContext) -> list[str]:
    problems = []
    for document in meta.documents:
        kind = detect_kind(document)
        if kind not in context.format_whitelist:
            problems.append(f"文档 {document.identifier}（{document.file_name}）的格式 {kind.value} 不在归档格式清单内")
    return problems


def _cannot_open(meta: PackageMetadata) -> list[str]:
    problems = []
    for document in meta.documents:
        reason = opens(document, detect_kind(document))
        if reason is not None:
            problems.append(f"文档 {document.identifier}（{document.file_name}）：{reason}")
    return problems


def _locked_content(meta: PackageMetadata) -> list[str]:
    problems = []
    for document in meta.documents:
        label = f"文档 {document.identifier}（{document.file_name}）"
        reason = encryption(document, detect_kind(document))
        if reason is not None:
            problems.append(f"{label}：{reason}")
        for magic, name in NON_PUBLIC_COMPRESSION.items():
            if document.head.startswith(magic):
                problems.append(f"{label}：使用 {name} 压缩")
    return problems
