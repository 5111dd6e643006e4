"""Building packages from a finished document and reading them back."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from archive.checks import CheckContext, run_four_checks
from archive.eep import namespaces as ns
from archive.eep.builder import BuildError, build_package
from archive.eep.model import (
    BusinessEntity,
    ContentDescription,
    DocumentRole,
    FileEntityMetadata,
    Origin,
    PackageDocument,
    PackageInput,
)
from archive.eep.reader import ReadLimits
from archive.eep.signing import PackageSigner
from archive.eep.verify import package_schema, verify_package

from .conftest import CST, package_input, pdf_bytes, png_bytes

SCHEMA = Path(__file__).resolve().parents[2] / "archive" / "eep" / "schema" / "eep-2009.xsd"


def test_built_package_is_valid_against_the_shipped_xsd_when_parsed_whole(
    make_package: Callable[..., Path],
) -> None:
    document = etree.parse(str(make_package()))
    schema = package_schema()
    assert schema.validate(document), schema.error_log
    assert document.getroot().tag == ns.q(ns.PACKAGE)


def test_built_package_passes_xmllint_schema_validation_offline(make_package: Callable[..., Path]) -> None:
    result = subprocess.run(
        ["xmllint", "--noout", "--nonet", "--schema", str(SCHEMA), str(make_package())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "validates" in result.stderr


def test_verify_accepts_a_fresh_package_and_reads_back_its_metadata(
    make_package: Callable[..., Path],
) -> None:
    report = verify_package(make_package())
    assert report.ok, report.findings
    meta = report.metadata
    assert meta is not None
    assert meta.package_type == "原始型"
    assert meta.fields[ns.TITLE] == "象山县人民政府关于做好冬季防火工作的通知"
    assert meta.fields[ns.DOCUMENT_NUMBER] == "象政发〔2026〕7号"
    assert meta.recipients[ns.PRIMARY_RECIPIENT] == ("各乡镇人民政府", "县政府各部门")
    assert [business[ns.BUSINESS_ACTION] for business in meta.business] == ["拟稿", "核稿", "签发", "归档"]
    assert [document.file_name for document in meta.documents] == ["正文.pdf", "印章.png", "发文稿纸.xml"]
    main = meta.documents[0]
    assert main.actual_size == main.declared_size == len(pdf_bytes())
    assert main.actual_digests["SHA-256"] == hashlib.sha256(pdf_bytes()).hexdigest()
    assert main.actual_digests["SM3"] == hashlib.new("sm3", pdf_bytes()).hexdigest()
    assert main.head.startswith(b"%PDF-1.7")
    assert [outcome.valid for outcome in report.signatures] == [True]


def test_build_result_reports_the_digests_written_into_the_package(tmp_path: Path, signer: PackageSigner) -> None:
    out = io.BytesIO()
    result = build_package(package_input(tmp_path), out, signer)
    assert result.bytes_written == len(out.getvalue())
    png = next(digest for digest in result.documents if digest.file_name == "印章.png")
    assert png.digests["SHA-256"] == hashlib.sha256(png_bytes()).hexdigest()
    assert f'摘要算法="SM3">{png.digests["SM3"]}<'.encode() in out.getvalue()


def test_payload_is_written_as_one_line_of_base64(make_package: Callable[..., Path]) -> None:
    root = etree.parse(str(make_package())).getroot()
    payloads = [node.text for node in root.iter(ns.q(ns.ENCODED_DATA))]
    assert payloads and all("\n" not in text for text in payloads)


def test_builder_refuses_a_stream_shorter_than_its_declared_size(tmp_path: Path, signer: PackageSigner) -> None:
    short = PackageDocument("D-9", DocumentRole.ATTACHED, "附件", "附件.txt", "TXT", io.BytesIO(b"abc"), size=10)
    with pytest.raises(BuildError, match="实际读到 3 字节"):
        build_package(package_input(tmp_path, extra=(short,)), io.BytesIO(), signer)


def test_verify_accepts_rfc2045_line_wrapped_base64_from_other_producers(
    make_package: Callable[..., Path], tmp_path: Path
) -> None:
    """Line breaks inside 编码数据 change the signed bytes, so only the payload checks are compared."""
    data = make_package().read_bytes()
    root = etree.fromstring(data)
    node = next(root.iter(ns.q(ns.ENCODED_DATA)))
    wrapped = "\n".join(node.text[i : i + 76] for i in range(0, len(node.text), 76))
    changed = data.replace(node.text.encode(), wrapped.encode())
    target = tmp_path / "wrapped.eep"
    target.write_bytes(changed)
    report = verify_package(target)
    assert all(finding.element.startswith(ns.SIGNATURE) for finding in report.findings), report.findings
    assert report.metadata is not None and report.metadata.documents[0].base64_error is None


def test_progress_reports_bytes_read_up_to_the_file_size(make_package: Callable[..., Path]) -> None:
    path = make_package()
    calls: list[tuple[int, int]] = []
    verify_package(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (path.stat().st_size, path.stat().st_size)


def test_report_serialises_to_json_ready_data(make_package: Callable[..., Path]) -> None:
    data = verify_package(make_package()).to_dict()
    assert data["ok"] is True and data["signatures"][0]["valid"] is True


def test_sha256_only_verification_skips_sm3_but_still_catches_a_changed_file(
    make_package: Callable[..., Path], tmp_path: Path
) -> None:
    sha_only = ReadLimits(digest_algorithms=("SHA-256",))
    path = make_package()
    report = verify_package(path, limits=sha_only)
    assert report.ok and report.metadata is not None
    assert set(report.metadata.documents[0].actual_digests) == {"SHA-256"}
    data = path.read_bytes()
    start = data.index(f"<{ns.ENCODED_DATA}>".encode()) + len(f"<{ns.ENCODED_DATA}>".encode()) + 8
    changed = tmp_path / "changed.eep"
    changed.write_bytes(data[:start] + (b"A" if data[start : start + 1] != b"A" else b"B") + data[start + 1 :])
    elements = [finding.element for finding in verify_package(changed, limits=sha_only).findings]
    assert "编码[正文.pdf]/文件摘要[SHA-256]" in elements
    assert "编码[正文.pdf]/文件摘要[SM3]" not in elements


def incoming_package(folder: Path) -> PackageInput:
    """A 收文 at 办结: the received document as main document, the 收文处理单 with every opinion attached."""
    received = folder / "来文.pdf"
    received.write_bytes(pdf_bytes("宁波市人民政府办公厅关于开展安全生产大检查的通知"))
    form = (
        '<?xml version="1.0" encoding="UTF-8"?><收文处理单><收文编号>象收〔2026〕88号</收文编号>'
        '<拟办意见 人="李明">请应急管理局牵头办理</拟办意见><批示 人="陈县长">同意，11月底前报结果</批示>'
        "<办理结果>已按期上报</办理结果></收文处理单>"
    ).encode()
    steps = ["签收", "登记", "初审", "拟办", "批办", "承办", "办结", "归档"]
    business = tuple(
        BusinessEntity(f"B-{i}", "P-LI", "XS-2026-SW-000088", step, dt.datetime(2026, 11, 2 + i, 9, tzinfo=CST))
        for i, step in enumerate(steps, start=1)
    )
    outer = package_input(folder)
    description = ContentDescription(
        title="宁波市人民政府办公厅关于开展安全生产大检查的通知",
        document_number="甬政办发〔2026〕12号",
        responsible=("宁波市人民政府办公厅",),
        date=dt.date(2026, 11, 1),
        document_type="通知",
        primary_recipients=("各区县（市）人民政府",),
    )
    return PackageInput(
        created_by="象山县人民政府办公室",
        created_at=dt.datetime(2026, 11, 30, 17, tzinfo=CST),
        file_entity=FileEntityMetadata("XS-2026-SW-000088", Origin("象山县人民政府"), description),
        documents=(
            PackageDocument("D-1", DocumentRole.MAIN, "来文", "来文.pdf", "PDF/A-2b", received),
            PackageDocument("D-2", DocumentRole.ATTACHED, "收文处理单", "收文处理单.xml", "XML", io.BytesIO(form)),
        ),
        business=business,
        agents=outer.agents[:3],
    )


def test_an_incoming_document_at_closing_builds_verifies_and_passes_the_four_checks(
    tmp_path: Path, signer: PackageSigner
) -> None:
    target = tmp_path / "incoming.eep"
    with target.open("wb") as out:
        build_package(incoming_package(tmp_path), out, signer)
    assert package_schema().validate(etree.parse(str(target)))
    report = verify_package(target)
    assert report.ok, report.findings
    assert report.metadata is not None
    assert [b[ns.BUSINESS_ACTION] for b in report.metadata.business][-2:] == ["办结", "归档"]
    checks = run_four_checks(report, CheckContext(), checked_at=dt.datetime(2026, 12, 1, tzinfo=CST))
    assert checks.passed, checks.failures()


def test_builder_names_the_element_whose_text_xml_cannot_hold(tmp_path: Path, signer: PackageSigner) -> None:
    with pytest.raises(BuildError, match="附注 的内容含有 XML 不允许的字符"):
        build_package(package_input(tmp_path, note="备注\x07响铃"), io.BytesIO(), signer)


def test_text_report_gives_the_verdict_signatures_and_each_problem(
    make_package: Callable[..., Path], tmp_path: Path
) -> None:
    good = verify_package(make_package()).to_text()
    assert "：通过" in good and "电子签名 SIG-1（象山县人民政府办公室）：有效" in good
    path = make_package()
    path.write_bytes(path.read_bytes().replace("冬季".encode(), "夏季".encode(), 1))
    bad = verify_package(path).to_text()
    assert "未通过（1 项问题）" in bad
    assert "✗ 电子签名[SIG-1]：签名值与所签字节的 SHA-256 摘要不符" in bad and "（应为：签名有效）" in bad
