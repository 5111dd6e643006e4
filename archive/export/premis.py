"""PREMIS 3.0 preservation metadata for the E-ARK SIP: what the files are, who made the package, and how.

One document lists the representation, one file object per package (with its SHA-256 fixity, size, format
and location), the agents (this software, the transferring unit, the receiving archives) and the single
event of this export: the ingest preparation (PREMIS "information package creation"), whose outcome note
records that every package was checked against the catalogue digest while it was copied. Pure: plain data in,
bytes out.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from archive.export.model import ExportBatch, Organisation
from archive.export.namespaces import (
    EEP_FORMAT_NAME,
    EEP_FORMAT_VERSION,
    PREMIS,
    PREMIS_NSMAP,
    SOFTWARE_NAME,
    SOFTWARE_VERSION,
    XSI,
    qname,
)
from archive.export.transfer_list import format_datetime

ARCHIVAL_CODE_TYPE = "DA/T 22-2015 档号"
LOCAL_TYPE = "local"
EVENT_TYPE_VOCABULARY = "http://id.loc.gov/vocabulary/preservation/eventType"


@dataclass(frozen=True, slots=True)
class PremisFile:
    """A package file as PREMIS describes it; `location` is relative to the METS document that refers here."""

    archival_code: str
    original_name: str
    location: str
    size: int
    sha256: str


def build_premis(batch: ExportBatch, representation: str, files: Sequence[PremisFile]) -> bytes:
    """The PREMIS document for `representation` (e.g. "rep1") holding `files`."""
    root = etree.Element(_tag("premis"), nsmap=PREMIS_NSMAP)
    root.set("version", "3.0")
    _representation_object(root, representation, files)
    for file in files:
        _file_object(root, representation, file)
    _preparation_event(root, batch, files)
    _agent(root, "software", SOFTWARE_NAME, "software", version=SOFTWARE_VERSION)
    _agent(root, _organisation_id(batch.transferring_unit), batch.transferring_unit.name, "organization")
    _agent(root, _organisation_id(batch.receiving_archives), batch.receiving_archives.name, "organization")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def event_identifier(batch: ExportBatch) -> str:
    # Derived from the batch identifier so that exporting the same batch twice describes it identically.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:xiangshan-oa:export:{batch.identifier}"))


def _representation_object(root: etree._Element, representation: str, files: Sequence[PremisFile]) -> None:
    element = _sub(root, "object")
    element.set(qname(XSI, "type"), "premis:representation")
    _identifier(element, "objectIdentifier", LOCAL_TYPE, representation)
    for file in files:
        relationship = _sub(element, "relationship")
        _sub(relationship, "relationshipType", "structural")
        _sub(relationship, "relationshipSubType", "has part")
        related = _sub(relationship, "relatedObjectIdentifier")
        _sub(related, "relatedObjectIdentifierType", ARCHIVAL_CODE_TYPE)
        _sub(related, "relatedObjectIdentifierValue", file.archival_code)


def _file_object(root: etree._Element, representation: str, file: PremisFile) -> None:
    element = _sub(root, "object")
    element.set(qname(XSI, "type"), "premis:file")
    _identifier(element, "objectIdentifier", ARCHIVAL_CODE_TYPE, file.archival_code)
    characteristics = _sub(element, "objectCharacteristics")
    _sub(characteristics, "compositionLevel", "0")
    fixity = _sub(characteristics, "fixity")
    _sub(fixity, "messageDigestAlgorithm", "SHA-256")
    _sub(fixity, "messageDigest", file.sha256)
    _sub(fixity, "messageDigestOriginator", SOFTWARE_NAME)
    _sub(characteristics, "size", str(file.size))
    designation = _sub(_sub(characteristics, "format"), "formatDesignation")
    _sub(designation, "formatName", EEP_FORMAT_NAME)
    _sub(designation, "formatVersion", EEP_FORMAT_VERSION)
    _sub(element, "originalName", file.original_name)
    location = _sub(_sub(element, "storage"), "contentLocation")
    _sub(location, "contentLocationType", "relative path")
    _sub(location, "contentLocationValue", file.location)
    relationship = _sub(element, "relationship")
    _sub(relationship, "relationshipType", "structural")
    _sub(relationship, "relationshipSubType", "is part of")
    related = _sub(relationship, "relatedObjectIdentifier")
    _sub(related, "relatedObjectIdentifierType", LOCAL_TYPE)
    _sub(related, "relatedObjectIdentifierValue", representation)


def _preparation_event(root: etree._Element, batch: ExportBatch, files: Sequence[PremisFile]) -> None:
    event = _sub(root, "event")
    _identifier(event, "eventIdentifier", "UUID", event_identifier(batch))
    event_type = _sub(event, "eventType", "information package creation")
    event_type.set("authority", "eventType")
    event_type.set("authorityURI", EVENT_TYPE_VOCABULARY)
    event_type.set("valueURI", f"{EVENT_TYPE_VOCABULARY}/ipc")
    _sub(event, "eventDateTime", format_datetime(batch.created_at))
    _sub(
        _sub(event, "eventDetailInformation"),
        "eventDetail",
        f"Ingest preparation: {batch.item_count} 件 {batch.year} 年度档案由 {batch.transferring_unit.name} "
        f"移交至 {batch.receiving_archives.name}（全宗 {batch.fonds_code} {batch.fonds_name}）",
    )
    outcome = _sub(event, "eventOutcomeInformation")
    _sub(outcome, "eventOutcome", "success")
    _sub(
        _sub(outcome, "eventOutcomeDetail"),
        "eventOutcomeDetailNote",
        "每个封装包在复制时已按目录记录核对大小与 SHA-256，全部一致",
    )
    for agent_id, role in (
        ("software", "executing program"),
        (_organisation_id(batch.transferring_unit), "implementer"),
    ):
        link = _sub(event, "linkingAgentIdentifier")
        _sub(link, "linkingAgentIdentifierType", LOCAL_TYPE)
        _sub(link, "linkingAgentIdentifierValue", agent_id)
        _sub(link, "linkingAgentRole", role)
    for file in files:
        link = _sub(event, "linkingObjectIdentifier")
        _sub(link, "linkingObjectIdentifierType", ARCHIVAL_CODE_TYPE)
        _sub(link, "linkingObjectIdentifierValue", file.archival_code)
        _sub(link, "linkingObjectRole", "outcome")


def _agent(root: etree._Element, agent_id: str, name: str, kind: str, version: str | None = None) -> None:
    agent = _sub(root, "agent")
    _identifier(agent, "agentIdentifier", LOCAL_TYPE, agent_id)
    _sub(agent, "agentName", name)
    _sub(agent, "agentType", kind)
    if version is not None:
        _sub(agent, "agentVersion", version)


def _organisation_id(organisation: Organisation) -> str:
    return f"organization:{organisation.code}"


def _identifier(parent: etree._Element, element: str, id_type: str, value: str) -> None:
    # PREMIS names the children after the parent: objectIdentifierType, eventIdentifierValue, …
    identifier = _sub(parent, element)
    _sub(identifier, f"{element}Type", id_type)
    _sub(identifier, f"{element}Value", value)


def _sub(parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _tag(local))
    if text is not None:
        element.text = text
    return element


def _tag(local: str) -> str:
    return qname(PREMIS, local)
