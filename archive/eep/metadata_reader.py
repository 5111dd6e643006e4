"""Read the metadata of a package back from its parsed skeleton into ``PackageMetadata``.

Works on a skeleton that may be schema-invalid (the verifier reports that separately), so every lookup
tolerates a missing element and records ``None``: the four checks need to know *which* element is
missing, not just that something failed. For a 修改型 package the descriptive metadata come from the
修改层 (the correction) while the documents come from the nested original.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from archive.eep import namespaces as ns
from archive.eep.model import DocumentRecord, PackageMetadata
from archive.eep.payload import PayloadDecoder

Element: TypeAlias = Any  # lxml ships no type hints (ignored in mypy settings)

# Paths below the 文件实体, recorded under the last element's name.
FIELD_PATHS: tuple[tuple[str, ...], ...] = (
    (ns.AGGREGATION_LEVEL,),
    (ns.ORIGIN, ns.ARCHIVE_NAME),
    (ns.ORIGIN, ns.ARCHIVE_CODE),
    (ns.ORIGIN, ns.FONDS_NAME),
    (ns.FILE_NUMBER,),
    (ns.ARCHIVAL_CODE,),
    (ns.CONTENT_DESCRIPTION, ns.TITLE),
    (ns.CONTENT_DESCRIPTION, ns.DOCUMENT_NUMBER),
    (ns.CONTENT_DESCRIPTION, ns.DATE),
    (ns.CONTENT_DESCRIPTION, ns.DOCUMENT_TYPE),
    (ns.CONTENT_DESCRIPTION, ns.URGENCY),
    (ns.CONTENT_DESCRIPTION, ns.CLASSIFICATION),
    (ns.CONTENT_DESCRIPTION, ns.CLASSIFICATION_PERIOD),
    (ns.FORM, ns.DOCUMENT_COUNT),
    (ns.FORM, ns.PAGE_COUNT),
    (ns.STORAGE, ns.STORAGE_ONLINE),
    (ns.ACCESS, ns.ACCESS_DECLARATION),
    (ns.ACCESS, ns.ACCESS_CONTROL),
    (ns.NOTE,),
)
BUSINESS_FIELDS = (
    ns.BUSINESS_ID,
    ns.AGENT_ID,
    ns.FILE_ID,
    ns.BUSINESS_STATE,
    ns.BUSINESS_ACTION,
    ns.ACTION_TIME,
    ns.ACTION_BASIS,
    ns.ACTION_DESCRIPTION,
)
AGENT_FIELDS = (ns.AGENT_ID, ns.AGENT_TYPE, ns.AGENT_NAME, ns.ORGANISATION_CODE, ns.POSITION)


def child(parent: Element | None, *names: str) -> Element | None:
    node = parent
    for name in names:
        if node is None:
            return None
        node = node.find(ns.q(name))
    return node


def text(parent: Element | None, *names: str) -> str | None:
    node = child(parent, *names)
    if node is None:
        return None
    return (node.text or "").strip()


def current_file_entity(root: Element) -> Element | None:
    signed = child(root, ns.SIGNED_OBJECT)
    revised = child(signed, ns.REVISION_CONTENT, ns.REVISION_LAYER, ns.FILE_ENTITY_BLOCK, ns.FILE_ENTITY)
    if revised is not None:
        return revised
    return child(signed, ns.CONTENT, ns.FILE_ENTITY_BLOCK, ns.FILE_ENTITY)


def original_file_entity(root: Element) -> Element | None:
    """The 文件实体 holding the files: the innermost original's (revisions carry no files)."""
    entities = [entity for entity in root.iter(ns.q(ns.FILE_ENTITY)) if entity.find(ns.q(ns.FILE_DATA)) is not None]
    return entities[0] if entities else None


def read_documents(root: Element, payloads: list[PayloadDecoder]) -> tuple[DocumentRecord, ...]:
    # lxml hands out the same proxy object for a node only while one is alive: keep the list referenced
    # so the id() lookups below stay valid.
    payload_nodes = list(root.iter(ns.q(ns.ENCODED_DATA)))
    payload_index = {id(node): index for index, node in enumerate(payload_nodes)}
    records: list[DocumentRecord] = []
    entity = original_file_entity(root)
    for document in entity.iter(ns.q(ns.DOCUMENT)) if entity is not None else ():
        for encoding in document.iter(ns.q(ns.ENCODING)):
            data = encoding.find(ns.q(ns.ENCODED_DATA))
            index = payload_index.get(id(data), -1) if data is not None else -1
            payload = payloads[index] if 0 <= index < len(payloads) else None
            size_text = text(encoding, ns.ELECTRONIC_ATTRIBUTES, ns.COMPUTER_FILE_SIZE)
            declared = {
                node.get(ns.DIGEST_ALGORITHM_ATTR, ""): (node.text or "").strip()
                for node in encoding.findall(ns.q(ns.FILE_DIGEST))
            }
            records.append(
                DocumentRecord(
                    identifier=text(document, ns.DOCUMENT_ID) or "",
                    role=text(document, ns.DOCUMENT_ROLE) or "",
                    title=text(document, ns.TITLE) or "",
                    file_name=text(encoding, ns.ELECTRONIC_ATTRIBUTES, ns.COMPUTER_FILE_NAME) or "",
                    format_info=text(encoding, ns.ELECTRONIC_ATTRIBUTES, ns.FORMAT_INFO) or "",
                    declared_size=int(size_text) if size_text and size_text.isdigit() else None,
                    declared_digests=declared,
                    actual_size=payload.size if payload else 0,
                    actual_digests=payload.digests() if payload else {},
                    base64_error=(payload.error if payload else "没有找到编码数据"),
                    head=payload.head if payload else b"",
                    tail=payload.tail if payload else b"",
                    markers=frozenset(payload.markers) if payload else frozenset(),
                )
            )
    return tuple(records)


def read_metadata(root: Element, payloads: list[PayloadDecoder]) -> PackageMetadata:
    signed = child(root, ns.SIGNED_OBJECT)
    entity = current_file_entity(root)
    fields = {path[-1]: text(entity, *path) for path in FIELD_PATHS}
    description = child(entity, ns.CONTENT_DESCRIPTION)
    recipients: dict[str, tuple[str, ...]] = {
        name: tuple((node.text or "").strip() for node in description.findall(ns.q(name)))
        if description is not None
        else ()
        for name in (ns.PRIMARY_RECIPIENT, ns.COPY_RECIPIENT)
    }
    responsible = (
        tuple((node.text or "").strip() for node in description.findall(ns.q(ns.RESPONSIBLE)))
        if description is not None
        else ()
    )
    business = tuple(
        {name: value for name in BUSINESS_FIELDS if (value := text(node, name)) is not None}
        for node in root.iter(ns.q(ns.BUSINESS_ENTITY))
    )
    agents = tuple(
        {name: value for name in AGENT_FIELDS if (value := text(node, name)) is not None}
        for node in root.iter(ns.q(ns.AGENT_ENTITY))
    )
    return PackageMetadata(
        package_type=text(signed, ns.PACKAGE_TYPE),
        created_at=text(signed, ns.CREATED_AT),
        created_by=text(signed, ns.CREATED_BY),
        fields=fields,
        recipients=recipients,
        responsible=responsible,
        documents=read_documents(root, payloads),
        business=business,
        agents=agents,
    )
