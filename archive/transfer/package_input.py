"""From the facts of a finished document to the EEP `PackageInput`, the 发文稿纸 and the 移交清单 line (pure).

The caller (the transfer use case) reads the rows and writes the files; here the facts become the package's
metadata: the 文件实体 (DA/T 46 description), one 业务实体 per workflow action from 拟稿 to 归档, and one
机构人员实体 for the unit and for every person who acted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from archive.checks.context import TransferListEntry
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

ARCHIVE_NAME = "象山县档案馆"
CREATING_APPLICATION = "象山 OA"

# The business act each recorded action stands for, named as DA/T 46 业务行为 (the step is told by from_state).
ACTION_LABELS = {
    "create": "拟稿", "submit": "送审", "approve": "审批", "return": "退回", "resubmit": "直送",
    "withdraw": "撤回", "transfer": "转交", "add_countersigner": "加签", "urge": "催办", "edit": "修改",
    "substantive_change": "实质性修改", "assign_number": "登记编号", "seal": "用印", "dispatch": "核发",
}
STEP_LABELS = {
    "draft": "拟稿", "in_review": "核稿", "countersigning": "会签", "awaiting_signoff": "签发", "recheck": "复核",
    "registering": "登记", "sealing": "用印", "dispatching": "核发", "dispatched": "已核发",
}


@dataclass(frozen=True)
class ActionFact:
    action: str
    actor_id: int
    acting_for_id: int | None
    from_state: str
    to_state: str
    note: str
    at: dt.datetime


@dataclass(frozen=True)
class PersonFact:
    id: int
    name: str
    position: str


@dataclass(frozen=True)
class AttachmentFact:
    title: str
    filename: str
    format_info: str
    path: Path


@dataclass(frozen=True)
class DocumentFacts:
    """Everything the package says about one dispatched 发文."""

    identifier: str  # 公文标识, the 电子文件号
    document_id: int
    unit_code: str
    unit_name: str
    title: str
    doc_number: str | None
    doc_type: str
    urgency: str
    written_date: dt.date
    responsible: tuple[str, ...]
    main_recipients: tuple[str, ...]
    copy_recipients: tuple[str, ...]
    classification: str
    public: bool
    actions: tuple[ActionFact, ...]
    people: dict[int, PersonFact]
    attachments: tuple[AttachmentFact, ...]
    body_text: str = ""


def action_label(fact: ActionFact) -> str:
    label = ACTION_LABELS.get(fact.action, fact.action)
    if fact.action == "approve":
        return f"{STEP_LABELS.get(fact.from_state, fact.from_state)}同意"
    return label


def file_entity(facts: DocumentFacts) -> FileEntityMetadata:
    description = ContentDescription(
        title=facts.title,
        document_number=facts.doc_number or "",
        responsible=facts.responsible,
        date=facts.written_date,
        document_type=facts.doc_type,
        urgency=facts.urgency,
        primary_recipients=facts.main_recipients,
        copy_recipients=facts.copy_recipients,
        classification=facts.classification,
    )
    return FileEntityMetadata(
        file_number=facts.identifier,
        origin=Origin(fonds_name=facts.unit_name, archive_name=ARCHIVE_NAME),
        description=description,
        storage_location=f"oa://documents/{facts.document_id}",
        access_control="开放" if facts.public else "控制",
    )


def business_entities(facts: DocumentFacts, archived_by: int, archived_at: dt.datetime) -> tuple[BusinessEntity, ...]:
    entities = [
        BusinessEntity(
            identifier=f"B-{index}",
            agent_id=f"P-{fact.actor_id}",
            file_id=facts.identifier,
            action=action_label(fact),
            time=fact.at,
            basis="党政机关公文处理工作条例",
            description=_describe(fact, facts.people),
        )
        for index, fact in enumerate(facts.actions, start=1)
    ]
    entities.append(BusinessEntity(
        identifier=f"B-{len(entities) + 1}", agent_id=f"P-{archived_by}", file_id=facts.identifier, action="归档",
        time=archived_at, basis="机关文件材料归档规范", description="移交档案室，生成电子文件封装包"))
    return tuple(entities)


def _describe(fact: ActionFact, people: dict[int, PersonFact]) -> str:
    before = STEP_LABELS.get(fact.from_state, fact.from_state or "—")
    parts = [f"{before} → {STEP_LABELS.get(fact.to_state, fact.to_state)}"]
    if fact.acting_for_id is not None and fact.acting_for_id in people:
        parts.append(f"代{people[fact.acting_for_id].name}办理")
    if fact.note:
        parts.append(f"意见：{fact.note}")
    return "；".join(parts)


def agent_entities(facts: DocumentFacts, archived_by: int) -> tuple[AgentEntity, ...]:
    agents = [AgentEntity(f"U-{facts.unit_code}", AgentType.UNIT, facts.unit_name, organisation_code=facts.unit_code)]
    ids = sorted({fact.actor_id for fact in facts.actions} | {archived_by}
                 | {f.acting_for_id for f in facts.actions if f.acting_for_id is not None})
    for person_id in ids:
        person = facts.people.get(person_id)
        if person is not None:
            agents.append(AgentEntity(f"P-{person_id}", AgentType.PERSON, person.name, position=person.position))
    return tuple(agents)


def processing_form_xml(facts: DocumentFacts, tasks: tuple[dict[str, Any], ...]) -> bytes:
    """发文稿纸: the document's particulars and every opinion, in order, as a small XML file."""
    root = etree.Element("发文稿纸", 公文标识=facts.identifier, 文种=facts.doc_type)
    for name, value in (("题名", facts.title), ("发文字号", facts.doc_number or ""),
                        ("发文机关", "、".join(facts.responsible)),
                        ("成文日期", facts.written_date.isoformat()), ("密级", facts.classification),
                        ("紧急程度", facts.urgency), ("主送", "、".join(facts.main_recipients)),
                        ("抄送", "、".join(facts.copy_recipients))):
        etree.SubElement(root, name).text = value
    history = etree.SubElement(root, "办理过程")
    for index, fact in enumerate(facts.actions, start=1):
        actor = facts.people.get(fact.actor_id)
        step = etree.SubElement(history, "步骤", 序号=str(index), 行为=action_label(fact),
                                办理人=actor.name if actor else str(fact.actor_id), 时间=fact.at.isoformat())
        if fact.acting_for_id is not None and fact.acting_for_id in facts.people:
            step.set("代办", facts.people[fact.acting_for_id].name)
        step.text = fact.note
    opinions = etree.SubElement(root, "环节意见")
    for task in tasks:
        holder = facts.people.get(int(task["holder_id"]))
        element = etree.SubElement(opinions, "意见", 环节=str(task["step"]),
                                   办理人=holder.name if holder else str(task["holder_id"]),
                                   结果=str(task.get("outcome") or ""), 时间=str(task.get("closed_at") or ""))
        element.text = str(task.get("opinion") or "")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def package_input(facts: DocumentFacts, main_pdf: Path, form_xml: Path, *, archived_by: int,
                  archived_at: dt.datetime) -> PackageInput:
    documents = [PackageDocument("D-1", DocumentRole.MAIN, f"{facts.title}（正式文本）", f"{facts.identifier}.pdf",
                                 "PDF/A-2b", main_pdf, CREATING_APPLICATION)]
    for index, attachment in enumerate(facts.attachments, start=2):
        documents.append(PackageDocument(f"D-{index}", DocumentRole.ATTACHED, attachment.title, attachment.filename,
                                         attachment.format_info, attachment.path))
    documents.append(PackageDocument(f"D-{len(documents) + 1}", DocumentRole.ATTACHED, "发文稿纸",
                                     f"{facts.identifier}-发文稿纸.xml", "XML", form_xml, CREATING_APPLICATION))
    return PackageInput(
        created_by=facts.unit_name,
        created_at=archived_at,
        file_entity=file_entity(facts),
        documents=tuple(documents),
        business=business_entities(facts, archived_by, archived_at),
        agents=agent_entities(facts, archived_by),
    )


def transfer_entry(pkg: PackageInput, sizes: dict[str, int]) -> TransferListEntry:
    """The 移交清单 line the unit declares for this package: what the archive re-counts at arrival."""
    return TransferListEntry(
        file_number=pkg.file_entity.file_number,
        document_count=len(pkg.documents),
        total_bytes=sum(sizes.values()),
        attachment_names=tuple(d.file_name for d in pkg.documents if d.role is DocumentRole.ATTACHED),
    )


def description_record(meta: FileEntityMetadata) -> dict[str, Any]:
    """The file entity as JSON, kept with the item so a later correction can rebuild it."""
    d = meta.description
    return {
        "file_number": meta.file_number, "fonds_name": meta.origin.fonds_name, "title": d.title,
        "document_number": d.document_number, "responsible": list(d.responsible), "date": d.date.isoformat(),
        "document_type": d.document_type, "urgency": d.urgency, "primary_recipients": list(d.primary_recipients),
        "copy_recipients": list(d.copy_recipients), "classification": d.classification,
        "storage_location": meta.storage_location, "access_control": meta.access_control, "note": meta.note,
    }


def file_entity_from_record(record: dict[str, Any], archival_code: str = "") -> FileEntityMetadata:
    description = ContentDescription(
        title=record["title"], document_number=record["document_number"], responsible=tuple(record["responsible"]),
        date=dt.date.fromisoformat(record["date"]), document_type=record["document_type"], urgency=record["urgency"],
        primary_recipients=tuple(record["primary_recipients"]), copy_recipients=tuple(record["copy_recipients"]),
        classification=record["classification"],
    )
    return FileEntityMetadata(
        file_number=record["file_number"], origin=Origin(fonds_name=record["fonds_name"], archive_name=ARCHIVE_NAME),
        description=description, archival_code=archival_code, storage_location=record["storage_location"],
        access_control=record["access_control"], note=str(record.get("note") or ""),
    )
