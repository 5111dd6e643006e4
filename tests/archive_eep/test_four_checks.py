"""The four checks (四性检测) over verified packages: each problem is caught by its own check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import struct
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archive.checks import CheckContext, CheckReport, CheckResult, Stage, TransferListEntry, run_four_checks
from archive.checks.antivirus import ClamAvScanner, ScanStatus, VirusScanOutcome
from archive.checks.formats import DEFAULT_WHITELIST, FileKind, accepted_formats
from archive.eep.model import DocumentRole, MetadataRevision, PackageDocument
from archive.eep.revision import build_revision
from archive.eep.signing import PackageSigner
from archive.eep.verify import verify_package
from archive.intake.arrival_checks import ArrivalFacts, check_arrival
from oa.settings import SettingsError

from .conftest import CST, drafting_form_xml, file_entity, pdf_bytes, png_bytes

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=CST)
CLEAN = VirusScanOutcome(ScanStatus.CLEAN, "/usr/bin/clamdscan", "已扫描 3 个文件，未发现病毒")
ALL_BYTES = len(pdf_bytes()) + len(png_bytes()) + len(drafting_form_xml())


def attachment(name: str, content: bytes, format_info: str = "附件") -> PackageDocument:
    return PackageDocument("D-9", DocumentRole.ATTACHED, "附件", name, format_info, io.BytesIO(content))


def full_context(**changes: Any) -> CheckContext:
    base: dict[str, Any] = {
        "transfer_entry": TransferListEntry("XS-2026-FW-000007", 3, ALL_BYTES, ("印章.png",)),
        "virus_scan": CLEAN,
    }
    base.update(changes)
    return CheckContext(**base)


def check(path: Path, context: CheckContext | None = None) -> CheckReport:
    return run_four_checks(verify_package(path), context or full_context(), checked_at=NOW)


def failed_codes(report: CheckReport) -> list[str]:
    return [item.code for item in report.failures()]


def test_a_clean_package_passes_every_check(make_package: Callable[..., Path]) -> None:
    path = make_package()
    sha = verify_package(path).sha256
    entry = TransferListEntry("XS-2026-FW-000007", 3, ALL_BYTES, ("印章.png",), package_sha256=sha)
    report = check(path, full_context(transfer_entry=entry))
    assert report.passed
    assert [item.code for item in report.findings if item.result is not CheckResult.PASS] == []
    assert [item.code for item in report.findings][:3] == ["GD-1-1", "GD-1-2", "GD-1-3"]
    assert {item.group.value for item in report.findings} == {"真实性", "完整性", "可用性", "安全性"}


def test_authenticity_catches_a_bad_signature(make_package: Callable[..., Path]) -> None:
    path = make_package()
    path.write_bytes(path.read_bytes().replace("县委办公室".encode(), "县政协办公".encode(), 1))
    report = check(path)
    assert failed_codes(report) == ["GD-1-1", "GD-4-4"]  # 4-4: not protected in transit either
    assert "签名值与所签字节的 SHA-256 摘要不符" in report.by_code("GD-1-1").explanation


def test_authenticity_catches_a_file_whose_size_differs_from_its_metadata(
    make_package: Callable[..., Path],
) -> None:
    path = make_package()
    size = len(png_bytes())
    data = path.read_bytes().replace(f"<计算机文件大小>{size}<".encode(), f"<计算机文件大小>{size + 7}<".encode(), 1)
    path.write_bytes(data)
    report = check(path)
    assert "GD-1-7" in failed_codes(report)
    assert f"实际 {size} 字节，元数据记载 {size + 7} 字节" in report.by_code("GD-1-7").explanation


def test_integrity_catches_a_missing_mandatory_element(make_package: Callable[..., Path]) -> None:
    description = file_entity().description
    path = make_package(description=type(description)(**{**description.__dict__, "responsible": ()}))
    report = check(path)
    assert failed_codes(report) == ["GD-2-1"]
    assert report.by_code("GD-2-1").explanation == "必备元数据 责任者 缺失"


def test_integrity_catches_a_gap_in_item_numbers(make_package: Callable[..., Path]) -> None:
    path = make_package(archival_code="Z109-WS·2026-Y-BGS-0004")
    used = frozenset({"Z109-WS·2026-Y-BGS-0001", "Z109-WS·2026-Y-BGS-0002", "Z109-WS·2026-D10-BGS-0001"})
    report = check(path, full_context(used_archival_codes=used))
    assert failed_codes(report) == ["GD-2-3"]
    assert "缺少 0003" in report.by_code("GD-2-3").explanation


def test_usability_catches_a_format_off_the_whitelist(make_package: Callable[..., Path]) -> None:
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00;"
    report = check(make_package(extra=(attachment("照片.gif", gif, "GIF"),)))
    assert "GD-3-2" in failed_codes(report)
    assert "照片.gif）的格式 未知 不在归档格式清单内" in report.by_code("GD-3-2").explanation


def test_security_catches_an_executable_attachment_disguised_as_a_pdf(
    make_package: Callable[..., Path],
) -> None:
    pe = b"MZ\x90\x00" + bytes(60) + b"PE\x00\x00" + bytes(200)
    report = check(make_package(extra=(attachment("通知附件.pdf", pe, "PDF/A-2b"),)))
    assert "GD-4-2" in failed_codes(report)
    assert "通知附件.pdf）是可执行文件（PE）" in report.by_code("GD-4-2").explanation
    assert "GD-1-7" in failed_codes(report)  # the name and 格式信息 lie about the content too


def test_security_catches_a_shell_script(make_package: Callable[..., Path]) -> None:
    report = check(make_package(extra=(attachment("run.txt", b"#!/bin/sh\nrm -rf /\n", "TXT"),)))
    assert "GD-4-2" in failed_codes(report)


def test_security_catches_office_macros(make_package: Callable[..., Path]) -> None:
    name = b"word/vbaProject.bin"
    zipped = b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0) + name + b"PK\x05\x06"
    report = check(make_package(extra=(attachment("表格.docm", zipped, "OOXML"),)))
    assert "GD-4-3" in failed_codes(report)
    assert "含 VBA 宏工程" in report.by_code("GD-4-3").explanation


def test_usability_catches_an_encrypted_pdf(make_package: Callable[..., Path]) -> None:
    report = check(make_package(extra=(attachment("加密.pdf", pdf_bytes(encrypted=True), "PDF/A-2b"),)))
    assert "GD-3-4" in failed_codes(report)
    assert "PDF 已加密" in report.by_code("GD-3-4").explanation


def test_usability_catches_a_truncated_png(make_package: Callable[..., Path]) -> None:
    report = check(make_package(extra=(attachment("残缺.png", png_bytes()[:-12], "PNG"),)))
    assert "GD-3-3" in failed_codes(report)


def test_authenticity_catches_malformed_values_and_classified_documents(
    make_package: Callable[..., Path],
) -> None:
    description = file_entity().description
    changed = {**description.__dict__, "document_number": "象政发[2026]第7号", "classification": "机密"}
    report = check(make_package(description=type(description)(**changed)))
    explanation = report.by_code("GD-1-4").explanation
    assert "文件编号 '象政发[2026]第7号' 不符合" in explanation
    assert "涉密文件不得经非涉密系统归档" in explanation


def test_authenticity_catches_duplicate_archival_code_and_document_number(
    make_package: Callable[..., Path],
) -> None:
    context = full_context(
        used_archival_codes=frozenset({"Z109-WS·2026-Y-BGS-0001"}),
        used_document_numbers=frozenset({"象政发〔2026〕7号"}),
    )
    explanation = check(make_package(), context).by_code("GD-1-6").explanation
    assert "档号 Z109-WS·2026-Y-BGS-0001 已被" in explanation and "文件编号 象政发〔2026〕7号 已被" in explanation


def test_authenticity_catches_a_package_other_than_the_one_sent(make_package: Callable[..., Path]) -> None:
    entry = TransferListEntry("XS-2026-FW-000007", 3, ALL_BYTES, package_sha256="0" * 64)
    assert "GD-1-8" in failed_codes(check(make_package(), full_context(transfer_entry=entry)))


def test_integrity_catches_counts_that_differ_from_the_transfer_list(
    make_package: Callable[..., Path],
) -> None:
    entry = TransferListEntry("XS-2026-FW-000007", 4, ALL_BYTES + 1, ("会议纪要.pdf",))
    report = check(make_package(), full_context(transfer_entry=entry))
    assert failed_codes(report) == ["GD-2-2", "GD-2-5"]
    assert "移交清单记载 4 个文档，封装包中有 3 个" in report.by_code("GD-2-2").explanation


def test_transfer_stage_requires_the_archive_lock(make_package: Callable[..., Path]) -> None:
    report = check(make_package(), full_context(stage=Stage.TRANSFER))
    assert failed_codes(report) == ["YJ-4-4"]


def test_missing_clamav_is_reported_as_not_installed() -> None:
    scanner = ClamAvScanner(which=lambda _name: None)
    outcome = scanner([Path("/nonexistent")])
    assert outcome.status is ScanStatus.NOT_INSTALLED


def test_virus_scan_not_installed_is_a_warning_that_says_so(make_package: Callable[..., Path]) -> None:
    outcome = ClamAvScanner(which=lambda _name: None)([])
    finding = check(make_package(), full_context(virus_scan=outcome)).by_code("GD-4-1")
    assert finding.result is CheckResult.WARN and "ClamAV 未安装" in finding.explanation


def test_an_infected_file_found_by_clamav_fails_the_security_check(make_package: Callable[..., Path]) -> None:
    def fake_run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, stdout="/tmp/x/附件.pdf: Eicar-Signature FOUND\n", stderr="")

    scanner = ClamAvScanner(which=lambda name: f"/usr/bin/{name}", run=fake_run)
    outcome = scanner([Path("/tmp/x/附件.pdf")])
    report = check(make_package(), full_context(virus_scan=outcome))
    assert failed_codes(report) == ["GD-4-1"]
    assert "Eicar-Signature FOUND" in report.by_code("GD-4-1").explanation


def test_a_refused_package_fails_every_group_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "bad.eep"
    path.write_bytes(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    report = check(path)
    assert len(report.failures()) == 4 and not report.passed
    assert all("DTD" in item.explanation for item in report.failures())


def test_report_round_trips_through_json(make_package: Callable[..., Path]) -> None:
    report = check(make_package())
    again = CheckReport.from_json(report.to_json())
    assert again == report
    assert '"group": "真实性"' in report.to_json()


def test_checks_read_the_corrected_metadata_of_a_revision(make_package: Callable[..., Path], tmp_path: Path) -> None:
    revised = tmp_path / "revised.eep"
    revision = MetadataRevision("补记档号", file_entity(archival_code="Z109-WS·2026-Y-BGS-0002"), "象山县档案馆", NOW)
    with revised.open("wb") as out:
        build_revision(make_package(), revision, out, PackageSigner.generate("象山县档案馆"))
    report = check(revised, full_context(used_archival_codes=frozenset({"Z109-WS·2026-Y-BGS-0001"})))
    assert report.passed, report.failures()
    assert report.by_code("GD-1-5").explanation == "档号 Z109-WS·2026-Y-BGS-0002 格式正确"


def ofd_bytes(*, encrypted: bool = False) -> bytes:
    """A minimal OFD container (a zip whose entry list starts with OFD.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"/>')
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    data = bytearray(buffer.getvalue())
    if encrypted:  # set bit 0 (encrypted) of the general-purpose flag in every local and central header
        for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(signature)
            while start >= 0:
                data[start + flag_at] |= 1
                start = data.find(signature, start + 4)
    return bytes(data)


def test_an_ofd_attachment_is_recognised_and_accepted(make_package: Callable[..., Path]) -> None:
    entry = TransferListEntry("XS-2026-FW-000007", 4, ALL_BYTES + len(ofd_bytes()))
    report = check(
        make_package(extra=(attachment("正文.ofd", ofd_bytes(), "OFD"),)), full_context(transfer_entry=entry)
    )
    assert failed_codes(report) == []


def test_usability_catches_an_encrypted_zip_container(make_package: Callable[..., Path]) -> None:
    report = check(make_package(extra=(attachment("正文.ofd", ofd_bytes(encrypted=True), "OFD"),)))
    assert "GD-3-4" in failed_codes(report)
    assert "压缩包中的条目已加密" in report.by_code("GD-3-4").explanation


def plain_pdf() -> bytes:
    """The same PDF without its PDF/A identification (an ordinary PDF as offices produce them); same length, so
    the cross-reference offsets still hold."""
    return pdf_bytes().replace(b"pdfaid:part", b"pdfxid:part")


def test_a_plain_pdf_attachment_fails_usability_unless_the_archive_accepts_plain_pdf(
    make_package: Callable[..., Path],
) -> None:
    path = make_package(extra=(attachment("实施方案.pdf", plain_pdf(), "PDF"),))
    assert "GD-3-2" in failed_codes(check(path))
    accepting = accepted_formats({"OA_ARCHIVE_FORMATS": "PDF/A, PDF, OFD, XML, TXT, JPEG, PNG, TIFF"})
    assert FileKind.PDF in accepting
    assert "GD-3-2" not in failed_codes(check(path, full_context(format_whitelist=accepting)))


def test_the_arrival_checks_apply_the_archives_own_format_list(make_package: Callable[..., Path]) -> None:
    path = make_package(extra=(attachment("实施方案.pdf", plain_pdf(), "PDF"),))
    facts = ArrivalFacts(None, frozenset(), frozenset())
    refused = check_arrival(path, facts, checked_at=NOW, scanner=lambda _files: CLEAN)
    assert refused.checks.by_code("GD-3-2").result is CheckResult.FAIL
    widened = dataclasses.replace(facts, accepted_formats=accepted_formats({"OA_ARCHIVE_FORMATS": "PDF/A,PDF,XML,PNG"}))
    accepted = check_arrival(path, widened, checked_at=NOW, scanner=lambda _files: CLEAN)
    assert accepted.checks.by_code("GD-3-2").result is CheckResult.PASS


@pytest.mark.parametrize("value", ["PDF/A,GIF", "PDF/A,PE", "脚本", "未知"])
def test_an_unknown_or_unsafe_format_in_the_list_is_refused_with_the_variable_named(value: str) -> None:
    with pytest.raises(SettingsError, match="OA_ARCHIVE_FORMATS"):
        accepted_formats({"OA_ARCHIVE_FORMATS": value})


def test_without_a_list_the_archive_keeps_the_long_term_formats() -> None:
    assert accepted_formats({}) == accepted_formats({"OA_ARCHIVE_FORMATS": " "}) == DEFAULT_WHITELIST
    assert FileKind.PDF not in DEFAULT_WHITELIST and FileKind.PDFA in DEFAULT_WHITELIST
