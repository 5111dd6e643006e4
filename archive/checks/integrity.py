"""完整性 (integrity): nothing is missing — metadata, files, history, numbers, the declared totals."""

from __future__ import annotations

from archive.checks.archival_code import ArchivalCodeError, item_number_gaps, parse_archival_code
from archive.checks.context import CheckContext
from archive.checks.report import CheckGroup, Finding, finding, warning
from archive.eep import namespaces as ns
from archive.eep.model import DocumentRole, PackageMetadata

GROUP = CheckGroup.INTEGRITY


def check_integrity(context: CheckContext, meta: PackageMetadata) -> list[Finding]:
    stage = context.stage
    return [
        finding(stage, GROUP, 1, "必备元数据齐全", _missing_metadata(meta, context), ok="必备元数据齐全"),
        _matches_transfer_list(meta, context),
        _item_numbers_continuous(meta, context),
        finding(stage, GROUP, 4, "处理过程记录完整", _history_problems(meta), ok=_history_summary(meta)),
        finding(stage, GROUP, 5, "文件及附件齐全", _content_problems(meta, context), ok="主文档与全部附件齐全"),
    ]


def _missing_metadata(meta: PackageMetadata, context: CheckContext) -> list[str]:
    required = list(context.mandatory_fields)
    if context.requires_archival_code and ns.ARCHIVAL_CODE not in required:
        required.append(ns.ARCHIVAL_CODE)
    missing = []
    for name in required:
        values = meta.responsible if name == ns.RESPONSIBLE else (meta.fields.get(name),)
        if not any(values):
            state = "缺失" if not values or values == (None,) else "为空"
            missing.append(f"必备元数据 {name} {state}")
    return missing


def _matches_transfer_list(meta: PackageMetadata, context: CheckContext) -> Finding:
    title = "数量与移交清单一致"
    entry = context.transfer_entry
    if entry is None:
        return warning(context.stage, GROUP, 2, title, "未提供移交清单，未核对件数与字节数")
    problems = []
    if entry.file_number != meta.fields.get(ns.FILE_NUMBER):
        problems.append(f"移交清单的电子文件号 {entry.file_number} 与封装包的 {meta.fields.get(ns.FILE_NUMBER)} 不符")
    if entry.document_count != len(meta.documents):
        problems.append(f"移交清单记载 {entry.document_count} 个文档，封装包中有 {len(meta.documents)} 个")
    total = sum(document.actual_size for document in meta.documents)
    if entry.total_bytes != total:
        problems.append(f"移交清单记载共 {entry.total_bytes} 字节，封装包中文件共 {total} 字节")
    return finding(context.stage, GROUP, 2, title, problems, ok="文档数与字节数与移交清单一致")


def _item_numbers_continuous(meta: PackageMetadata, context: CheckContext) -> Finding:
    title = "件号连续"
    code = meta.fields.get(ns.ARCHIVAL_CODE)
    if not code:
        return warning(context.stage, GROUP, 3, title, "尚未分配档号，未核对件号")
    try:
        own_class = parse_archival_code(code).archival_class
        valid_codes = [other for other in context.used_archival_codes if _parses(other)]
        gaps = item_number_gaps([*valid_codes, code]).get(own_class, [])
    except ArchivalCodeError:
        return warning(context.stage, GROUP, 3, title, "档号格式不正确（见档号格式检测），未核对件号")
    problems = (
        [
            f"件号不连续：本类 {own_class.fonds}-{own_class.category}·{own_class.year} 缺少 "
            + "、".join(f"{number:04d}" for number in gaps)
        ]
        if gaps
        else []
    )
    return finding(context.stage, GROUP, 3, title, problems, ok="本类件号从 0001 起连续")


def _parses(code: str) -> bool:
    try:
        parse_archival_code(code)
    except ArchivalCodeError:
        return False
    return True


def _history_problems(meta: PackageMetadata) -> list[str]:
    if not meta.business:
        return ["没有业务实体：文件的处理过程（拟稿、审核、签发……）未记录"]
    problems = []
    agent_ids = {agent.get(ns.AGENT_ID) for agent in meta.agents}
    for entity in meta.business:
        who = entity.get(ns.AGENT_ID)
        if who not in agent_ids:
            problems.append(f"业务实体 {entity.get(ns.BUSINESS_ID)} 的机构人员标识符 {who} 没有对应的机构人员实体")
    return problems


def _history_summary(meta: PackageMetadata) -> str:
    actions = "→".join(entity.get(ns.BUSINESS_ACTION, "") for entity in meta.business)
    return f"处理过程 {len(meta.business)} 步：{actions}"


def _content_problems(meta: PackageMetadata, context: CheckContext) -> list[str]:
    problems = []
    mains = [document for document in meta.documents if document.role == DocumentRole.MAIN.value]
    if len(mains) != 1:
        problems.append(f"应有且只有一个主文档，实有 {len(mains)} 个")
    for document in meta.documents:
        if document.actual_size == 0:
            problems.append(f"文档 {document.identifier}（{document.file_name}）没有内容")
    if context.transfer_entry is not None:
        names = {document.file_name for document in meta.documents}
        for name in context.transfer_entry.attachment_names:
            if name not in names:
                problems.append(f"移交清单列出的附件 {name} 不在封装包中")
    return problems
