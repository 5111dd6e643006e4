"""安全性 (security): no viruses, no executables, no macros, and the package protected in transit."""

from __future__ import annotations

from archive.checks.antivirus import ScanStatus
from archive.checks.context import CheckContext
from archive.checks.formats import EXECUTABLE_KINDS, detect_kind, macros
from archive.checks.report import CheckGroup, Finding, finding, warning
from archive.eep.model import PackageMetadata
from archive.eep.verify import VerifyReport

GROUP = CheckGroup.SECURITY
EXECUTABLE_EXTENSIONS = frozenset({"exe", "dll", "msi", "so", "dylib", "app", "jar", "class", "apk", "elf"})


def check_security(report: VerifyReport, context: CheckContext, meta: PackageMetadata) -> list[Finding]:
    stage = context.stage
    return [
        _virus_scan(context),
        finding(stage, GROUP, 2, "无可执行文件", _executables(meta), ok="没有可执行文件或脚本"),
        finding(stage, GROUP, 3, "无宏代码", _macros(meta), ok="没有宏或脚本动作"),
        finding(stage, GROUP, 4, "传输中受保护", _protection(report, context), ok=_protection_summary(context)),
    ]


def _virus_scan(context: CheckContext) -> Finding:
    title = "病毒扫描"
    outcome = context.virus_scan
    if outcome is None:
        return warning(context.stage, GROUP, 1, title, "未进行病毒扫描（未配置扫描程序）")
    if outcome.status is ScanStatus.NOT_INSTALLED:
        return warning(context.stage, GROUP, 1, title, outcome.detail)
    if outcome.status is ScanStatus.CLEAN:
        return finding(context.stage, GROUP, 1, title, [], ok=f"{outcome.engine}：{outcome.detail}")
    verdict = "发现病毒" if outcome.status is ScanStatus.INFECTED else "扫描出错"
    return finding(context.stage, GROUP, 1, title, [f"{outcome.engine} {verdict}：{outcome.detail}"], ok="")


def _executables(meta: PackageMetadata) -> list[str]:
    problems = []
    for document in meta.documents:
        kind = detect_kind(document)
        if kind in EXECUTABLE_KINDS or document.extension in EXECUTABLE_EXTENSIONS:
            problems.append(f"文档 {document.identifier}（{document.file_name}）是可执行文件（{kind.value}）")
    return problems


def _macros(meta: PackageMetadata) -> list[str]:
    problems = []
    for document in meta.documents:
        reason = macros(document, detect_kind(document))
        if reason is not None:
            problems.append(f"文档 {document.identifier}（{document.file_name}）{reason}")
    return problems


def _protection(report: VerifyReport, context: CheckContext) -> list[str]:
    signatures = [outcome for outcome in report.signatures if not outcome.is_lock]
    problems = [] if signatures and all(o.valid for o in signatures) else ["封装包没有有效的单位电子签名"]
    locks = [outcome for outcome in report.signatures if outcome.is_lock]
    if context.requires_archival_code and not any(lock.valid for lock in locks):
        problems.append("移交的封装包须带有效的档案馆锁定签名")
    return problems


def _protection_summary(context: CheckContext) -> str:
    if context.requires_archival_code:
        return "单位电子签名与档案馆锁定签名均有效，传输中的改动都会被发现"
    return "单位电子签名有效，传输中的改动都会被发现"
