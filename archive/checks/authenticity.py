"""真实性 (authenticity): the package is what the unit signed, and its metadata say true things.

Pure: works on the ``VerifyReport`` (which already holds signature, digest and schema results and the
parsed metadata) and the ``CheckContext``.
"""

from __future__ import annotations

import datetime as dt
import re

from archive.checks.archival_code import ArchivalCodeError, parse_archival_code
from archive.checks.context import CheckContext
from archive.checks.formats import EXTENSIONS, FileKind, detect_kind
from archive.checks.report import CheckGroup, Finding, finding, warning
from archive.eep import namespaces as ns
from archive.eep.model import PackageMetadata
from archive.eep.verify import VerifyReport

GROUP = CheckGroup.AUTHENTICITY
# The 15 types of 条例 art. 8 (命令 is also written 令 or 命令（令）).
DOCUMENT_TYPES = frozenset(
    "决议 决定 命令 令 命令（令） 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要".split()  # noqa: SIM905
)
CLASSIFICATIONS = frozenset({"公开", "内部", "秘密", "机密", "绝密"})
CLASSIFIED = frozenset({"秘密", "机密", "绝密"})
URGENCIES = frozenset({"", "特急", "加急", "平件"})
DOCUMENT_NUMBER = re.compile(r"^(?P<daizi>[\u4e00-\u9fff]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_authenticity(report: VerifyReport, context: CheckContext, meta: PackageMetadata) -> list[Finding]:
    stage = context.stage
    return [
        finding(stage, GROUP, 1, "电子签名有效", _signature_problems(report), ok="所有电子签名与锁定签名均有效"),
        finding(
            stage,
            GROUP,
            2,
            "文件摘要一致",
            _digest_problems(report),
            ok="每个文档的 SHA-256 与 SM3 摘要均一致",
        ),
        finding(stage, GROUP, 3, "封装结构符合规范", _schema_problems(report), ok="封装包符合 eep-2009.xsd"),
        finding(
            stage,
            GROUP,
            4,
            "元数据格式与值域",
            _value_problems(meta, context),
            ok="元数据格式、长度与值域正确",
        ),
        _archival_code_form(meta, context),
        finding(stage, GROUP, 6, "档号、文号不重复", _duplicates(meta, context), ok="档号与文件编号在馆内唯一"),
        finding(
            stage,
            GROUP,
            7,
            "文件属性与元数据一致",
            _attribute_problems(meta),
            ok="文件名、大小、格式与元数据一致",
        ),
        _received_equals_sent(report, context),
    ]


def _signature_problems(report: VerifyReport) -> list[str]:
    problems = [
        f"{ns.LOCK_SIGNATURE if outcome.is_lock else ns.SIGNATURE} {outcome.signature_id}"
        f"（{outcome.signer}）：{outcome.reason}"
        for outcome in report.signatures
        if not outcome.valid
    ]
    problems += [
        f"{item.element}：{item.problem}"
        for item in report.findings
        if item.element.startswith((ns.SIGNATURE, ns.LOCK_SIGNATURE)) and "不在受信任的密钥中" in item.problem
    ]
    if not any(not outcome.is_lock for outcome in report.signatures):
        problems.append("封装包没有电子签名")
    return problems


def _digest_problems(report: VerifyReport) -> list[str]:
    return [
        f"{item.element}：{item.problem}"
        for item in report.findings
        if ns.FILE_DIGEST in item.element or ns.ENCODED_DATA in item.element
    ]


def _schema_problems(report: VerifyReport) -> list[str]:
    return [
        f"{item.element}：{item.problem}"
        for item in report.findings
        if item.problem.startswith("不符合封装包 XSD") or item.element == "根元素"
    ]


def _value_problems(meta: PackageMetadata, context: CheckContext) -> list[str]:
    fields = meta.fields
    problems: list[str] = []
    for name, value in [*fields.items(), *((ns.RESPONSIBLE, value) for value in meta.responsible)]:
        if value and CONTROL_CHARACTERS.search(value):
            problems.append(f"{name} 含有控制字符")
    title = fields.get(ns.TITLE) or ""
    if len(title) > context.max_title_length:
        problems.append(f"题名 {len(title)} 字，超过 {context.max_title_length} 字")
    if (kind := fields.get(ns.DOCUMENT_TYPE)) and kind not in DOCUMENT_TYPES:
        problems.append(f"文种 {kind!r} 不是《党政机关公文处理工作条例》规定的 15 种之一")
    classification = fields.get(ns.CLASSIFICATION)
    if classification and classification not in CLASSIFICATIONS:
        problems.append(f"密级 {classification!r} 不在 {sorted(CLASSIFICATIONS)} 之中")
    if classification in CLASSIFIED and not context.allow_classified:
        problems.append(f"密级为 {classification}：涉密文件不得经非涉密系统归档")
    if (urgency := fields.get(ns.URGENCY)) is not None and urgency not in URGENCIES:
        problems.append(f"紧急程度 {urgency!r} 应为 特急、加急 或 平件")
    if (number := fields.get(ns.DOCUMENT_NUMBER)) and not DOCUMENT_NUMBER.match(number):
        problems.append(f"文件编号 {number!r} 不符合“机关代字〔年份〕序号号”格式（例：象政发〔2008〕70号）")
    if date := fields.get(ns.DATE):
        try:
            parsed = dt.date.fromisoformat(date)
        except ValueError:
            problems.append(f"日期 {date!r} 不是 YYYY-MM-DD 格式")
        else:
            match = DOCUMENT_NUMBER.match(number or "")
            if match and int(match["year"]) != parsed.year:
                problems.append(f"文件编号年份 {match['year']} 与成文日期 {date} 不符")
    if (pages := fields.get(ns.PAGE_COUNT)) and not pages.isdigit():
        problems.append(f"页数 {pages!r} 不是非负整数")
    return problems


def _archival_code_form(meta: PackageMetadata, context: CheckContext) -> Finding:
    code = meta.fields.get(ns.ARCHIVAL_CODE)
    title = "档号格式"
    if not code:
        if context.requires_archival_code:
            return finding(context.stage, GROUP, 5, title, ["移交的档案必须有档号"], ok="")
        return warning(context.stage, GROUP, 5, title, "尚未分配档号（归档接收时由档案室分配）")
    try:
        parsed = parse_archival_code(code)
    except ArchivalCodeError as exc:
        return finding(context.stage, GROUP, 5, title, [str(exc)], ok="")
    problems = []
    date = meta.fields.get(ns.DATE) or ""
    if date[:4].isdigit() and int(date[:4]) != parsed.archival_class.year:
        problems.append(f"档号年度 {parsed.archival_class.year} 与文件日期 {date} 不符")
    return finding(context.stage, GROUP, 5, title, problems, ok=f"档号 {code} 格式正确")


def _duplicates(meta: PackageMetadata, context: CheckContext) -> list[str]:
    problems = []
    code = meta.fields.get(ns.ARCHIVAL_CODE)
    if code and code in context.used_archival_codes:
        problems.append(f"档号 {code} 已被馆内其他档案使用")
    number = meta.fields.get(ns.DOCUMENT_NUMBER)
    if number and number in context.used_document_numbers:
        problems.append(f"文件编号 {number} 已被馆内其他档案使用")
    return problems


def _attribute_problems(meta: PackageMetadata) -> list[str]:
    problems = []
    for document in meta.documents:
        label = f"文档 {document.identifier}（{document.file_name}）"
        if document.declared_size is not None and document.declared_size != document.actual_size:
            problems.append(f"{label} 实际 {document.actual_size} 字节，元数据记载 {document.declared_size} 字节")
        kind = detect_kind(document)
        allowed = EXTENSIONS.get(kind)
        if allowed is not None and document.extension not in allowed:
            problems.append(f"{label} 内容是 {kind.value}，扩展名却是 .{document.extension}")
        declared_family = kind.value.split("/")[0]
        if kind not in (FileKind.UNKNOWN, FileKind.EMPTY) and declared_family not in document.format_info.upper():
            problems.append(f"{label} 内容是 {kind.value}，格式信息却写作 {document.format_info!r}")
        if kind is FileKind.PDF and "PDF/A" in document.format_info.upper():
            problems.append(f"{label} 格式信息声称 PDF/A，文件中却没有 PDF/A 标识（pdfaid:part）")
    return problems


def _received_equals_sent(report: VerifyReport, context: CheckContext) -> Finding:
    title = "接收的封装包与发送的一致"
    entry = context.transfer_entry
    if entry is None or not entry.package_sha256:
        return warning(context.stage, GROUP, 8, title, "移交清单未提供封装包摘要，未核对")
    problems = []
    if entry.package_sha256.lower() != report.sha256:
        problems.append(f"封装包 SHA-256 为 {report.sha256}，移交清单记载 {entry.package_sha256}")
    return finding(context.stage, GROUP, 8, title, problems, ok="封装包 SHA-256 与移交清单一致")
