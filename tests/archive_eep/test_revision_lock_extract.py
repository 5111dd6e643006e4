"""修改型 packages, the archive's 锁定签名, and restoring files."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from archive.eep import namespaces as ns
from archive.eep.builder import BuildError
from archive.eep.extract import PackageRejected, extract_package, safe_file_name
from archive.eep.lock import LockError, apply_lock_signature
from archive.eep.model import MetadataRevision
from archive.eep.revision import build_revision
from archive.eep.signing import PackageSigner
from archive.eep.verify import package_schema, verify_package

from .conftest import CST, drafting_form_xml, file_entity, pdf_bytes, png_bytes


def correction() -> MetadataRevision:
    return MetadataRevision(
        declaration="更正题名中的错字",
        corrected=file_entity(archival_code="Z109-WS·2026-Y-BGS-0002"),
        created_by="象山县档案馆",
        created_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=CST),
    )


def test_extract_restores_every_file_byte_for_byte(make_package: Callable[..., Path], tmp_path: Path) -> None:
    restored = extract_package(make_package(), tmp_path / "out")
    assert [path.name for path in restored] == ["正文.pdf", "印章.png", "发文稿纸.xml"]
    assert [path.read_bytes() for path in restored] == [pdf_bytes(), png_bytes(), drafting_form_xml()]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(p.name for p in restored)


def test_extract_of_a_tampered_package_leaves_nothing_behind(make_package: Callable[..., Path], tmp_path: Path) -> None:
    path = make_package()
    path.write_bytes(path.read_bytes().replace("冬季".encode(), "夏季".encode(), 1))
    with pytest.raises(PackageRejected, match="电子签名"):
        extract_package(path, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        ("..", "文件-1"),
        ("a\x00b.txt", "a_b.txt"),
    ],
)
def test_safe_file_name_strips_directories_and_control_characters(declared: str, expected: str) -> None:
    assert safe_file_name(declared, 0, set()) == expected


def test_safe_file_name_numbers_duplicates() -> None:
    taken: set[str] = set()
    assert [safe_file_name("附件.pdf", i, taken) for i in range(3)] == [
        "附件.pdf",
        "附件 (2).pdf",
        "附件 (3).pdf",
    ]


def test_lock_signature_verifies_and_keeps_the_unit_signature_valid(
    make_package: Callable[..., Path], tmp_path: Path, archive_signer: PackageSigner
) -> None:
    locked = tmp_path / "locked.eep"
    assert apply_lock_signature(make_package(), locked, archive_signer) == "SIG-1"
    report = verify_package(locked)
    assert report.ok, report.findings
    assert [(outcome.is_lock, outcome.valid) for outcome in report.signatures] == [
        (False, True),
        (True, True),
    ]
    assert report.signatures[1].key_fingerprint == archive_signer.key_fingerprint()


def test_a_changed_signer_name_breaks_the_unit_signature_and_the_lock(
    make_package: Callable[..., Path], tmp_path: Path, archive_signer: PackageSigner
) -> None:
    locked = tmp_path / "locked.eep"
    apply_lock_signature(make_package(), locked, archive_signer)
    data = locked.read_bytes()
    changed = data.replace("<签名人>象山县人民政府办公室".encode(), "<签名人>某某".encode(), 1)
    locked.write_bytes(changed)
    report = verify_package(locked)
    assert [finding.element for finding in report.findings] == ["电子签名[SIG-1]", "锁定签名[SIG-1]"]


def test_a_package_cannot_be_locked_twice(
    make_package: Callable[..., Path], tmp_path: Path, archive_signer: PackageSigner
) -> None:
    once = tmp_path / "once.eep"
    apply_lock_signature(make_package(), once, archive_signer)
    with pytest.raises(LockError, match="已有锁定签名"):
        apply_lock_signature(once, tmp_path / "twice.eep", archive_signer)


def test_revision_keeps_the_original_verifiable_inside_and_reads_the_corrected_metadata(
    make_package: Callable[..., Path], tmp_path: Path, archive_signer: PackageSigner
) -> None:
    locked = tmp_path / "locked.eep"
    apply_lock_signature(make_package(), locked, archive_signer)
    revised = tmp_path / "revised.eep"
    with revised.open("wb") as out:
        result = build_revision(locked, correction(), out, archive_signer)
    assert result.package_type == "修改型"
    report = verify_package(revised)
    assert report.ok, report.findings
    # outer signature, the original's signature inside, the original's lock
    assert [(o.is_lock, o.valid) for o in report.signatures] == [(False, True), (False, True), (True, True)]
    assert report.metadata is not None
    assert report.metadata.package_type == "修改型"
    assert report.metadata.fields[ns.ARCHIVAL_CODE] == "Z109-WS·2026-Y-BGS-0002"
    assert [document.file_name for document in report.metadata.documents] == [
        "正文.pdf",
        "印章.png",
        "发文稿纸.xml",
    ]
    restored = extract_package(revised, tmp_path / "files")
    assert restored[0].read_bytes() == pdf_bytes()


def test_a_tampered_original_inside_a_revision_is_detected(
    make_package: Callable[..., Path], tmp_path: Path, signer: PackageSigner
) -> None:
    revised = tmp_path / "revised.eep"
    with revised.open("wb") as out:
        build_revision(make_package(), correction(), out, signer)
    assert package_schema().validate(etree.parse(str(revised)))
    data = revised.read_bytes()
    # the first 题名 in the file belongs to the nested original's 文件实体
    revised.write_bytes(data.replace("冬季".encode(), "夏季".encode(), 1))
    elements = [finding.element for finding in verify_package(revised).findings]
    assert elements == ["电子签名[SIG-1]", "电子签名[SIG-1]"]


def test_revision_refuses_an_original_that_does_not_verify(
    make_package: Callable[..., Path], signer: PackageSigner
) -> None:
    path = make_package()
    path.write_bytes(path.read_bytes().replace("冬季".encode(), "夏季".encode(), 1))
    with pytest.raises(BuildError, match="原封装包未通过校验"):
        build_revision(path, correction(), io.BytesIO(), signer)


def test_locked_and_revised_packages_pass_xmllint_schema_validation(
    make_package: Callable[..., Path], tmp_path: Path, archive_signer: PackageSigner
) -> None:
    locked, revised = tmp_path / "locked.eep", tmp_path / "revised.eep"
    apply_lock_signature(make_package(), locked, archive_signer)
    with revised.open("wb") as out:
        build_revision(locked, correction(), out, archive_signer)
    schema = Path(__file__).resolve().parents[2] / "archive" / "eep" / "schema" / "eep-2009.xsd"
    for path in (locked, revised):
        result = subprocess.run(
            ["xmllint", "--noout", "--nonet", "--schema", str(schema), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0 and "validates" in result.stderr, result.stderr
