"""From the facts of a 办结 incoming document (收文) to its EEP `PackageInput` and 收文处理单 (pure).

The choices, written down in docs/archive.md:
- 主文档: the sender's rendered copy when the message carried one as an attachment (a PDF named after the
  document's 公文标识 or called 正式文本), for a paper 收文 its first PDF scan, else a copy rendered here from the
  received elements and body;
- 附属文档: the other received attachments, the exchange envelope exactly as it arrived (signed XML, when the
  document came through the exchange) and the 收文处理单 (every step and opinion from `incoming_actions`);
- 文件编号 = the sender's 发文字号, 责任者 = the sender, 附注 = the incoming register number (收文编号);
- 业务实体: one per recorded action from 签收 to 办结, then 归档.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from archive.eep.model import (
    AgentEntity,
    AgentType,
    BusinessEntity,
    ContentDescription,
    DocumentRole,
    FileEntityMetadata,
    Origin,
    PackageDocument,
    PackageInput,
)
from archive.transfer.package_input import ARCHIVE_NAME, CREATING_APPLICATION, PersonFact
from docflow.render.model import UPWARD_DOC_TYPES, BodyBlock, RenderDocument
from docflow.rules.body import Block, heading_marker, heading_numbers

INCOMING_ACTION_LABELS = {
    "sign_for": "签收", "register": "登记", "register_manual": "登记（纸质来文）", "accept": "初审通过",
    "return": "退文", "circulate": "传阅", "read": "阅毕", "propose": "拟办", "instruct": "批示", "assign": "交办",
    "urge": "催办", "reply": "答复", "close": "办结",
}
INCOMING_STATE_LABELS = {
    "received": "待签收", "signed_for": "待登记", "registered": "待初审", "accepted": "待承办", "returned": "已退文",
    "circulating": "传阅中", "proposed": "待批示", "instructed": "待交办", "in_progress": "承办中", "closed": "已办结",
}
PDF = "application/pdf"


@dataclass(frozen=True)
class IncomingStep:
    action: str
    actor_id: int | None
    from_state: str
    to_state: str
    note: str
    at: dt.datetime


@dataclass(frozen=True)
class ReceivedFile:
    position: int
    filename: str
    format_info: str
    media_type: str
    path: Path


@dataclass(frozen=True)
class IncomingFacts:
    """Everything the package says about one 办结 收文 of a unit."""

    file_number: str  # 电子文件号 of this unit's record (the sender keeps its own under its 公文标识)
    incoming_id: int
    sender_identifier: str  # the sender's 公文标识, "" for a paper document
    unit_code: str
    unit_name: str
    sender_name: str
    title: str
    doc_number: str | None  # the sender's 发文字号
    doc_type: str
    urgency: str
    written_date: dt.date
    register_number: str  # 收文编号
    main_recipients: tuple[str, ...]
    copy_recipients: tuple[str, ...]
    classification: str
    public: bool
    proposal: str
    instruction: str
    steps: tuple[IncomingStep, ...]
    people: dict[int, PersonFact]
    files: tuple[ReceivedFile, ...]
    body_text: str = ""


def sender_copy(files: Sequence[ReceivedFile], sender_identifier: str, *, paper: bool = False) -> ReceivedFile | None:
    """The received file that is the document itself: the sender's rendered copy if the message carried one;
    for a paper 收文 registered by hand, its first PDF scan (the scan is the received document)."""
    pdfs = [f for f in files if f.media_type == PDF]
    for f in pdfs:
        stem = f.filename.rsplit(".", 1)[0]
        if (sender_identifier and stem == sender_identifier) or "正式文本" in stem:
            return f
    return pdfs[0] if paper and pdfs else None


def render_received(elements: Mapping[str, Any], body: Sequence[Mapping[str, Any]], *, title: str, doc_type: str,
                    doc_number: str | None, sender_name: str, written: dt.date,
                    attachment_titles: tuple[str, ...]) -> RenderDocument:
    """The received elements laid out as GB/T 9704 (the seal travels as a signature, so no seal picture)."""
    blocks = [Block(int(b.get("level", 0)), str(b.get("text", ""))) for b in body]
    printed = tuple(BodyBlock(b.level, b.text if b.level == 0 else heading_marker(b.level, n) + b.text)
                    for b, n in zip(blocks, heading_numbers(blocks), strict=True))
    letter = doc_type == "函"
    mark = str(elements.get("issuer_mark") or f"{sender_name}文件")
    main = [str(n) for n in elements.get("main_recipients") or ()]
    copy = [str(n) for n in elements.get("copy_to") or ()]
    printer = str(elements.get("printed_by") or "") or None
    printed_on = elements.get("printed_on")
    return RenderDocument(
        doc_type=doc_type,
        organ_mark=mark.removesuffix("文件") if letter else mark,
        title=title,
        issuer_signature="\u3000".join(str(n) for n in elements.get("issuers") or ()) or sender_name,
        date=written,
        body=printed or (BodyBlock(0, title),),  # a paper 收文 registered without a summary has no body
        doc_number=doc_number,
        main_recipients="、".join(main) + "：" if main else "",
        classification=elements.get("classification") or None,
        classification_period=elements.get("secrecy_period") or None,
        urgency=elements.get("urgency") or None,
        signers=tuple(str(s) for s in elements.get("signers") or ()) if doc_type in UPWARD_DOC_TYPES else (),
        attachment_notes=attachment_titles,
        note=str(elements.get("note") or "") or None,
        cc="、".join(copy) or None,
        printer=printer,
        print_date=(dt.date.fromisoformat(str(printed_on)) if printed_on else written) if printer else None,
        letter_format=letter,
    )


def file_entity(facts: IncomingFacts) -> FileEntityMetadata:
    description = ContentDescription(
        title=facts.title,
        document_number=facts.doc_number or "",
        responsible=(facts.sender_name,),
        date=facts.written_date,
        document_type=facts.doc_type,
        urgency=facts.urgency,
        primary_recipients=facts.main_recipients,
        copy_recipients=facts.copy_recipients,
        classification=facts.classification,
    )
    return FileEntityMetadata(
        file_number=facts.file_number,
        origin=Origin(fonds_name=facts.unit_name, archive_name=ARCHIVE_NAME),
        description=description,
        storage_location=f"oa://incoming/{facts.incoming_id}",
        access_control="开放" if facts.public else "控制",
        note=f"收文编号：{facts.register_number}" if facts.register_number else "",
    )


def _agent_of(actor_id: int | None, facts: IncomingFacts) -> str:
    return f"P-{actor_id}" if actor_id is not None and actor_id in facts.people else f"U-{facts.unit_code}"


def business_entities(facts: IncomingFacts, archived_by: int, archived_at: dt.datetime) -> tuple[BusinessEntity, ...]:
    entities = [
        BusinessEntity(
            identifier=f"B-{index}", agent_id=_agent_of(step.actor_id, facts), file_id=facts.file_number,
            action=INCOMING_ACTION_LABELS.get(step.action, step.action), time=step.at,
            basis="党政机关公文处理工作条例", description=_describe(step),
        )
        for index, step in enumerate(facts.steps, start=1)
    ]
    entities.append(BusinessEntity(
        identifier=f"B-{len(entities) + 1}", agent_id=f"P-{archived_by}", file_id=facts.file_number, action="归档",
        time=archived_at, basis="机关文件材料归档规范", description="收文办结后移交档案室，生成电子文件封装包"))
    return tuple(entities)


def _describe(step: IncomingStep) -> str:
    before = INCOMING_STATE_LABELS.get(step.from_state, step.from_state or "—")
    parts = [f"{before} → {INCOMING_STATE_LABELS.get(step.to_state, step.to_state)}"]
    if step.note:
        parts.append(f"意见：{step.note}")
    return "；".join(parts)


def agent_entities(facts: IncomingFacts, archived_by: int) -> tuple[AgentEntity, ...]:
    agents = [AgentEntity(f"U-{facts.unit_code}", AgentType.UNIT, facts.unit_name, organisation_code=facts.unit_code)]
    ids = sorted({s.actor_id for s in facts.steps if s.actor_id is not None} | {archived_by})
    for person_id in ids:
        person = facts.people.get(person_id)
        if person is not None:
            agents.append(AgentEntity(f"P-{person_id}", AgentType.PERSON, person.name, position=person.position))
    return tuple(agents)


def processing_form_xml(facts: IncomingFacts, readers: Sequence[Mapping[str, Any]]) -> bytes:
    """收文处理单: the particulars, 拟办意见, 批示, 传阅 and every step with its opinion, as a small XML file."""
    root = etree.Element("收文处理单", 收文编号=facts.register_number, 电子文件号=facts.file_number)
    for name, value in (("来文单位", facts.sender_name), ("来文字号", facts.doc_number or ""), ("题名", facts.title),
                        ("文种", facts.doc_type), ("成文日期", facts.written_date.isoformat()),
                        ("紧急程度", facts.urgency), ("密级", facts.classification),
                        ("公文标识", facts.sender_identifier), ("拟办意见", facts.proposal),
                        ("领导批示", facts.instruction)):
        etree.SubElement(root, name).text = value
    circulation = etree.SubElement(root, "传阅")
    for reader in readers:
        person = facts.people.get(int(reader["person_id"]))
        etree.SubElement(circulation, "阅文人", 姓名=person.name if person else str(reader["person_id"]),
                         送阅时间=str(reader.get("sent_at") or ""), 阅毕时间=str(reader.get("read_at") or ""))
    history = etree.SubElement(root, "办理过程")
    for index, step in enumerate(facts.steps, start=1):
        actor = facts.people.get(step.actor_id) if step.actor_id is not None else None
        element = etree.SubElement(history, "步骤", 序号=str(index),
                                   行为=INCOMING_ACTION_LABELS.get(step.action, step.action),
                                   办理人=actor.name if actor else "系统", 时间=step.at.isoformat())
        element.text = step.note
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def package_input(facts: IncomingFacts, main_pdf: Path, form_xml: Path, envelope_xml: Path | None, *,
                  main_file: ReceivedFile | None, archived_by: int, archived_at: dt.datetime) -> PackageInput:
    """The package: 主文档, the other received files, the envelope as received, the 收文处理单."""
    main_title = f"{facts.title}（来文正式文本）" if main_file else f"{facts.title}（据来文要素生成的文本）"
    documents = [PackageDocument("D-1", DocumentRole.MAIN, main_title, f"{facts.file_number}.pdf", "PDF/A-2b",
                                 main_pdf, CREATING_APPLICATION)]
    for f in facts.files:
        if main_file is None or f.position != main_file.position:
            documents.append(PackageDocument(f"D-{len(documents) + 1}", DocumentRole.ATTACHED,
                                             f.filename.rsplit(".", 1)[0], f.filename, f.format_info, f.path))
    if envelope_xml is not None:
        documents.append(PackageDocument(f"D-{len(documents) + 1}", DocumentRole.ATTACHED, "公文交换报文（原样）",
                                         f"{facts.file_number}-交换报文.xml", "XML", envelope_xml))
    documents.append(PackageDocument(f"D-{len(documents) + 1}", DocumentRole.ATTACHED, "收文处理单",
                                     f"{facts.file_number}-收文处理单.xml", "XML", form_xml, CREATING_APPLICATION))
    return PackageInput(
        created_by=facts.unit_name,
        created_at=archived_at,
        file_entity=file_entity(facts),
        documents=tuple(documents),
        business=business_entities(facts, archived_by, archived_at),
        agents=agent_entities(facts, archived_by),
    )
