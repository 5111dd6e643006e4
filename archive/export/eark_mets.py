"""METS documents of the E-ARK SIP (CSIP/SIP 2.1.0): the package METS and the representation METS.

Pure builders from plain data. The shapes follow the CSIP requirements the E-ARK validator checks: profile and
extension attributes on the root (CSIP1–6, SIP2), a software CREATOR agent with its version note (CSIP10–16),
metadata referenced by `mdRef` with size, date and checksum (CSIP18–57), file groups "Documentation",
"Schemas" and "Representations/rep1" (CSIP58–79, 113–114), and a CSIP structMap whose representation divs sit
inside a div labelled "Representations" (CSIP80–112, as V2.1.0 wants). Every div has a LABEL: the validator
reads that attribute on each div without checking it is there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from archive.export.model import ExportBatch, Organisation
from archive.export.namespaces import (
    CSIP,
    METS,
    METS_NSMAP,
    SIP,
    SIP_PROFILE,
    SOFTWARE_NAME,
    SOFTWARE_VERSION,
    XLINK,
    qname,
)
from archive.export.transfer_list import format_datetime

CONTENT_TYPE = "Other"
CONTENT_OTHER_TYPE = "Electronic official records (公文) in DA/T 48-2009 packages"
CONTENT_INFORMATION_TYPE = "OTHER"
OTHER_CONTENT_INFORMATION_TYPE = "DA/T 48-2009 EEP"


@dataclass(frozen=True, slots=True)
class MetsFile:
    """A file a METS document points to; `href` is relative to that METS document's folder."""

    file_id: str
    href: str
    size: int
    sha256: str
    mimetype: str
    format_name: str | None = None
    format_version: str | None = None


@dataclass(frozen=True, slots=True)
class RootParts:
    """What the package METS references besides the representations."""

    descriptive: MetsFile
    preservation: MetsFile
    documentation: Sequence[MetsFile]
    schemas: Sequence[MetsFile]


def build_package_mets(batch: ExportBatch, objid: str, parts: RootParts, representations: dict[str, MetsFile]) -> bytes:
    """The root METS.xml; `representations` maps a representation name (e.g. "rep1") to its METS.xml."""
    created = batch.created_at
    root = _mets_root(objid, f"{batch.fonds_name} {batch.year} 年度移交", created, batch, package_level=True)
    dmd = _sub(root, "dmdSec", ID="dmd-transfer-list", CREATED=_date(created), STATUS="CURRENT")
    _md_ref(dmd, parts.descriptive, created, mdtype="OTHER", other_mdtype="XSOA-TRANSFER-LIST")
    amd = _sub(root, "amdSec")
    digiprov = _sub(amd, "digiprovMD", ID="digiprov-premis", STATUS="CURRENT")
    _md_ref(digiprov, parts.preservation, created, mdtype="PREMIS")

    file_sec = _sub(root, "fileSec", ID="filesec")
    _file_group(file_sec, "grp-documentation", "Documentation", parts.documentation, created)
    _file_group(file_sec, "grp-schemas", "Schemas", parts.schemas, created)
    for name, mets in representations.items():
        group = _file_group(file_sec, f"grp-{name}", f"Representations/{name}", [mets], created)
        group.set(qname(CSIP, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
        group.set(qname(CSIP, "OTHERCONTENTINFORMATIONTYPE"), OTHER_CONTENT_INFORMATION_TYPE)

    struct = _sub(root, "structMap", ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP")
    package_div = _sub(struct, "div", ID="div-package", LABEL=objid)
    _sub(
        package_div,
        "div",
        ID="div-metadata",
        LABEL="Metadata",
        ADMID="digiprov-premis",
        DMDID="dmd-transfer-list",
    )
    _sub(
        _sub(package_div, "div", ID="div-documentation", LABEL="Documentation"),
        "fptr",
        FILEID="grp-documentation",
    )
    _sub(_sub(package_div, "div", ID="div-schemas", LABEL="Schemas"), "fptr", FILEID="grp-schemas")
    representations_div = _sub(package_div, "div", ID="div-representations", LABEL="Representations")
    for name in representations:
        _sub(representations_div, "fptr", FILEID=f"grp-{name}")
    for name, mets in representations.items():
        rep_div = _sub(representations_div, "div", ID=f"div-{name}", LABEL=f"Representations/{name}")
        pointer = _sub(rep_div, "mptr", LOCTYPE="URL")
        pointer.set(qname(XLINK, "type"), "simple")
        pointer.set(qname(XLINK, "href"), _href(mets.href))
        pointer.set(qname(XLINK, "title"), f"grp-{name}")
    return _serialise(root)


def build_representation_mets(batch: ExportBatch, name: str, preservation: MetsFile, data: Sequence[MetsFile]) -> bytes:
    """The representation's METS.xml: its PREMIS and one file per package under data/."""
    created = batch.created_at
    root = _mets_root(name, f"{batch.fonds_name} {batch.year} 年度移交：封装包", created, batch, package_level=False)
    amd = _sub(root, "amdSec")
    digiprov = _sub(amd, "digiprovMD", ID=f"digiprov-premis-{name}", STATUS="CURRENT")
    _md_ref(digiprov, preservation, created, mdtype="PREMIS")
    file_sec = _sub(root, "fileSec", ID=f"filesec-{name}")
    _file_group(file_sec, f"grp-{name}-data", "Data", data, created)
    struct = _sub(root, "structMap", ID=f"structmap-{name}", TYPE="PHYSICAL", LABEL="CSIP")
    rep_div = _sub(struct, "div", ID=f"div-{name}-root", LABEL=name)
    _sub(rep_div, "div", ID=f"div-{name}-metadata", LABEL="Metadata", ADMID=f"digiprov-premis-{name}")
    _sub(_sub(rep_div, "div", ID=f"div-{name}-data", LABEL="Data"), "fptr", FILEID=f"grp-{name}-data")
    return _serialise(root)


def _mets_root(objid: str, label: str, created: dt.datetime, batch: ExportBatch, package_level: bool) -> etree._Element:
    root = etree.Element(qname(METS, "mets"), nsmap=METS_NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", CONTENT_TYPE)
    root.set(qname(CSIP, "OTHERTYPE"), CONTENT_OTHER_TYPE)
    root.set(qname(CSIP, "CONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    root.set(qname(CSIP, "OTHERCONTENTINFORMATIONTYPE"), OTHER_CONTENT_INFORMATION_TYPE)
    root.set("PROFILE", SIP_PROFILE)
    header = _sub(root, "metsHdr", CREATEDATE=_date(created), LASTMODDATE=_date(created), RECORDSTATUS="NEW")
    header.set(qname(CSIP, "OAISPACKAGETYPE"), "SIP")
    creator = _sub(header, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _sub(creator, "name").text = SOFTWARE_NAME
    _note(_sub(creator, "note"), "SOFTWARE VERSION").text = SOFTWARE_VERSION
    if package_level:
        # SIP agents: the archival creator (the 全宗), the submitter (the transferring unit) and the
        # preservation agency (the county archives). None is a CREATOR: CSIP reserves that role for software.
        _organisation_agent(header, "ARCHIVIST", Organisation(batch.fonds_code, batch.fonds_name))
        _organisation_agent(header, "OTHER", batch.transferring_unit, other_role="SUBMITTER")
        _organisation_agent(header, "PRESERVATION", batch.receiving_archives)
        _sub(header, "altRecordID", TYPE="REFERENCECODE").text = f"{batch.fonds_code}-{batch.year}"
    return root


def _organisation_agent(header: etree._Element, role: str, organisation: Organisation, other_role: str = "") -> None:
    agent = _sub(header, "agent", ROLE=role, TYPE="ORGANIZATION")
    if other_role:
        agent.set("OTHERROLE", other_role)
    _sub(agent, "name").text = organisation.name
    _note(_sub(agent, "note"), "IDENTIFICATIONCODE").text = organisation.code


def _note(note: etree._Element, note_type: str) -> etree._Element:
    note.set(qname(CSIP, "NOTETYPE"), note_type)
    return note


def _md_ref(parent: etree._Element, file: MetsFile, created: dt.datetime, mdtype: str, other_mdtype: str = "") -> None:
    ref = _sub(parent, "mdRef", LOCTYPE="URL", MDTYPE=mdtype)
    if other_mdtype:
        ref.set("OTHERMDTYPE", other_mdtype)
    ref.set(qname(XLINK, "type"), "simple")
    ref.set(qname(XLINK, "href"), _href(file.href))
    _file_facts(ref, file, created)


def _file_group(
    parent: etree._Element, group_id: str, use: str, files: Sequence[MetsFile], created: dt.datetime
) -> etree._Element:
    group = _sub(parent, "fileGrp", ID=group_id, USE=use)
    for file in files:
        element = _sub(group, "file", ID=file.file_id)
        _file_facts(element, file, created)
        if file.format_name is not None:
            element.set(qname(SIP, "FILEFORMATNAME"), file.format_name)
        if file.format_version is not None:
            element.set(qname(SIP, "FILEFORMATVERSION"), file.format_version)
        location = _sub(element, "FLocat", LOCTYPE="URL")
        location.set(qname(XLINK, "type"), "simple")
        location.set(qname(XLINK, "href"), _href(file.href))
    return group


def _file_facts(element: etree._Element, file: MetsFile, created: dt.datetime) -> None:
    element.set("MIMETYPE", file.mimetype)
    element.set("SIZE", str(file.size))
    element.set("CREATED", _date(created))
    element.set("CHECKSUM", file.sha256)
    element.set("CHECKSUMTYPE", "SHA-256")


def _href(relative_path: str) -> str:
    # Package names carry CJK and "·" (档号): a URI reference must percent-encode them (RFC 3986, UTF-8).
    return quote(relative_path, safe="/")


def _date(moment: dt.datetime) -> str:
    return format_datetime(moment)


def _sub(parent: etree._Element, local: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, qname(METS, local), attributes)


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
