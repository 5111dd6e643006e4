"""Format (b): the E-ARK SIP, checked by eark-validator 1.1.3 (own venv, offline), by xmllint against the METS
schemas shipped in its wheel, and by our own fixity walk (the validator does not check checksums)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from lxml import etree

from archive.export import ExportBatch, PackageFileMismatch
from archive.export.eark_sip import write_eark_sip, write_eark_sip_zip

NS = {
    "mets": "http://www.loc.gov/METS/",
    "xlink": "http://www.w3.org/1999/xlink",
    "premis": "http://www.loc.gov/premis/v3",
}
HREF = "{http://www.w3.org/1999/xlink}href"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@pytest.fixture
def sip(batch: ExportBatch, out_dir: Path) -> Path:
    return write_eark_sip(batch, out_dir)


def _assert_valid_apart_from_the_known_false_errors(validator: Any, report: dict[str, Any]) -> None:
    assert report["structure"]["status"] == "WellFormed", report["structure"]
    assert report["metadata"]["schema_results"]["status"] == "VALID", report["metadata"]["schema_results"]
    # 1.1.3 reports CSIP63 and SIP14 on every correct package; anything else is a real defect.
    assert validator.schematron_errors(report) == {"CSIP63", "SIP14"} == validator.known_false_errors
    messages = report["structure"]["messages"] + report["metadata"]["schematron_results"]["messages"]
    assert [m["rule_id"] for m in messages if m["severity"] == "Warning"] == []


def test_the_sip_folder_passes_the_eark_validator(sip: Path, eark_validator: Any) -> None:
    _assert_valid_apart_from_the_known_false_errors(eark_validator, eark_validator.validate(sip))


def test_the_sip_zip_passes_the_eark_validator(batch: ExportBatch, out_dir: Path, eark_validator: Any) -> None:
    archive = write_eark_sip_zip(batch, out_dir)
    assert archive.name == f"{batch.identifier}.zip"
    assert [path.name for path in out_dir.iterdir()] == [archive.name]  # the scratch folder is gone
    _assert_valid_apart_from_the_known_false_errors(eark_validator, eark_validator.validate(archive))


def test_the_validator_harness_reports_a_broken_sip(sip: Path, eark_validator: Any) -> None:
    """Control: the same run must see real defects, or the passing tests above prove nothing."""
    mets = sip / "METS.xml"
    tree = etree.parse(str(mets))
    tree.getroot().set("PROFILE", "https://example.org/not-the-sip-profile.xml")
    representations = tree.find(".//mets:div[@LABEL='Representations']", NS)
    representations.getparent().remove(representations)
    tree.write(str(mets), xml_declaration=True, encoding="UTF-8")
    errors = eark_validator.schematron_errors(eark_validator.validate(sip))
    assert {"SIP2", "CSIP103"} <= errors


def test_the_validator_harness_reports_a_schema_invalid_mets(sip: Path, eark_validator: Any) -> None:
    mets = sip / "METS.xml"
    tree = etree.parse(str(mets))
    etree.SubElement(tree.find("mets:metsHdr", NS), "{http://www.loc.gov/METS/}notAMetsElement")
    tree.write(str(mets), xml_declaration=True, encoding="UTF-8")
    assert eark_validator.validate(sip)["metadata"]["schema_results"]["status"] == "INVALID"


def _xmllint_sip_schema(xmllint: str, schema_dir: Path, *documents: Path) -> subprocess.CompletedProcess[str]:
    schema = schema_dir / "mets.sip.local.v2-0.xsd"
    return subprocess.run(
        [xmllint, "--noout", "--nonet", "--schema", str(schema), *map(str, documents)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_both_mets_documents_are_valid_against_the_sip_schemas_according_to_xmllint(
    sip: Path, xmllint: str, eark_validator: Any
) -> None:
    rep_mets = sip / "representations" / "rep1" / "METS.xml"
    completed = _xmllint_sip_schema(xmllint, eark_validator.schema_dir, sip / "METS.xml", rep_mets)
    assert completed.returncode == 0, completed.stderr
    # Control: the DILCIS extension attributes are checked strictly by these schemas.
    broken = sip / "broken.xml"
    text = (sip / "METS.xml").read_text(encoding="utf-8")
    broken.write_text(text.replace('csip:OAISPACKAGETYPE="SIP"', 'csip:OAISPACKAGETYPE="XIP"'), encoding="utf-8")
    assert _xmllint_sip_schema(xmllint, eark_validator.schema_dir, broken).returncode != 0


def _references(mets: Path) -> list[etree._Element]:
    tree = etree.parse(str(mets))
    return [*tree.iterfind(".//mets:file", NS), *tree.iterfind(".//mets:mdRef", NS)]


def _href(element: etree._Element) -> str:
    located = element if element.get(HREF) else element.find("mets:FLocat", NS)
    return unquote(urlparse(located.get(HREF)).path)


def test_every_file_is_referenced_once_with_its_true_size_and_sha256(sip: Path) -> None:
    referenced: list[Path] = []
    for mets in (sip / "METS.xml", sip / "representations" / "rep1" / "METS.xml"):
        for element in _references(mets):
            path = mets.parent / _href(element)
            assert element.get("CHECKSUMTYPE") == "SHA-256"
            assert int(element.get("SIZE")) == path.stat().st_size, path
            assert element.get("CHECKSUM") == hashlib.sha256(path.read_bytes()).hexdigest(), path
            referenced.append(path.resolve())
    on_disk = {path.resolve() for path in sip.rglob("*") if path.is_file()} - {(sip / "METS.xml").resolve()}
    assert sorted(referenced) == sorted(on_disk)


def test_package_hrefs_are_percent_encoded_and_resolve_to_the_archival_code_names(
    batch: ExportBatch, sip: Path
) -> None:
    rep_mets = etree.parse(str(sip / "representations" / "rep1" / "METS.xml"))
    hrefs = rep_mets.xpath("//mets:fileGrp[@USE='Data']/mets:file/mets:FLocat/@xlink:href", namespaces=NS)
    assert all(href.isascii() for href in hrefs)
    assert [unquote(href) for href in hrefs] == [f"data/{item.package_file_name}" for item in batch.items]


def test_the_representation_div_sits_inside_the_representations_div(sip: Path) -> None:
    tree = etree.parse(str(sip / "METS.xml"))
    pointers = tree.xpath(
        "/mets:mets/mets:structMap[@LABEL='CSIP']/mets:div/mets:div[@LABEL='Representations']"
        "/mets:div[@LABEL='Representations/rep1']/mets:mptr/@xlink:href",
        namespaces=NS,
    )
    assert pointers == ["representations/rep1/METS.xml"]
    assert tree.getroot().get("OBJID") == sip.name


def test_premis_records_fixity_agents_and_the_ingest_preparation_event(batch: ExportBatch, sip: Path) -> None:
    premis = etree.parse(str(sip / "metadata" / "preservation" / "PREMIS.xml"))
    files = premis.xpath("//premis:object[@xsi:type='premis:file']", namespaces={**NS, "xsi": XSI})
    assert len(files) == batch.item_count
    for element, item in zip(files, batch.items, strict=True):
        assert element.findtext(".//premis:messageDigestAlgorithm", namespaces=NS) == "SHA-256"
        assert element.findtext(".//premis:messageDigest", namespaces=NS) == item.package_sha256
        assert element.findtext(".//premis:size", namespaces=NS) == str(item.package_size)
        location = element.findtext(".//premis:contentLocationValue", namespaces=NS)
        assert (sip / location).read_bytes() == item.package_path.read_bytes()
    event = premis.find("premis:event", NS)
    assert event.findtext("premis:eventType", namespaces=NS) == "information package creation"
    assert event.findtext(".//premis:eventDetail", namespaces=NS).startswith("Ingest preparation")
    linked = event.xpath("premis:linkingObjectIdentifier/premis:linkingObjectIdentifierValue/text()", namespaces=NS)
    assert linked == [item.archival_code for item in batch.items]
    agents = premis.xpath("premis:agent/premis:agentName/text()", namespaces=NS)
    assert agents == ["象山 OA", "象山县人民政府办公室", "象山县档案馆"]


def test_an_interrupted_sip_leaves_no_partial_folder(batch: ExportBatch, out_dir: Path) -> None:
    shutil.copyfile(batch.items[0].package_path, batch.items[2].package_path)  # wrong bytes for item 3
    with pytest.raises(PackageFileMismatch, match=batch.items[2].archival_code):
        write_eark_sip(batch, out_dir)
    assert list(out_dir.iterdir()) == []
