"""A changed byte anywhere fails verification with a reason; hostile input is refused before parsing."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.eep import namespaces as ns
from archive.eep.extract import extract_package
from archive.eep.lock import apply_lock_signature
from archive.eep.markup_scanner import PackageRefused
from archive.eep.model import MetadataRevision
from archive.eep.reader import ReadLimits
from archive.eep.revision import build_revision
from archive.eep.signing import PackageSigner
from archive.eep.verify import verify_package

from .conftest import file_entity


def replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) >= 1, old
    return data.replace(old, new, 1)


def write(tmp_path: Path, data: bytes, name: str = "changed.eep") -> Path:
    target = tmp_path / name
    target.write_bytes(data)
    return target


def problems(path: Path) -> str:
    report = verify_package(path)
    assert not report.ok
    return " | ".join(f"{finding.element}: {finding.problem}" for finding in report.findings)


def test_a_changed_title_breaks_the_signature(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = replace_once(make_package().read_bytes(), "冬季防火".encode(), "夏季防火".encode())
    assert "电子签名[SIG-1]: 签名值与所签字节的 SHA-256 摘要不符" in problems(write(tmp_path, data))


def test_a_changed_byte_in_a_files_base64_breaks_its_digest_and_the_signature(
    make_package: Callable[..., Path], tmp_path: Path
) -> None:
    data = make_package().read_bytes()
    start = data.index(f"<{ns.ENCODED_DATA}>".encode()) + len(f"<{ns.ENCODED_DATA}>".encode()) + 20
    flipped = b"B" if data[start : start + 1] != b"B" else b"C"
    found = problems(write(tmp_path, data[:start] + flipped + data[start + 1 :]))
    assert "编码[正文.pdf]/文件摘要[SHA-256]: 解码后文件的 SHA-256 摘要为" in found
    assert "文件摘要[SM3]" in found
    assert "电子签名[SIG-1]" in found


def test_a_replaced_signature_value_is_reported_invalid(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = make_package().read_bytes()
    start = data.index(f"<{ns.SIGNATURE_VALUE}>".encode()) + len(f"<{ns.SIGNATURE_VALUE}>".encode())
    end = data.index(f"</{ns.SIGNATURE_VALUE}>".encode())
    forged = base64.b64encode(bytes(len(base64.b64decode(data[start:end])))).decode()
    changed = data[:start] + forged.encode() + data[end:]
    assert "电子签名[SIG-1]" in problems(write(tmp_path, changed))


def test_a_changed_declared_size_is_named_with_both_sizes(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = make_package().read_bytes()
    size_tag = f"<{ns.COMPUTER_FILE_SIZE}>".encode()
    start = data.index(size_tag) + len(size_tag)
    end = data.index(b"<", start)
    real = int(data[start:end])
    changed = data[:start] + str(real + 1).encode() + data[end:]
    found = problems(write(tmp_path, changed))
    assert f"编码数据解码后为 {real} 字节，元数据写的是 {real + 1}" in found


def test_a_certificate_swapped_for_another_key_fails(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = make_package().read_bytes()
    tag, end_tag = f"<{ns.CERTIFICATE}>".encode(), f"</{ns.CERTIFICATE}>".encode()
    other = PackageSigner.generate("冒名者").certificate_der()
    start, end = data.index(tag) + len(tag), data.index(end_tag)
    changed = data[:start] + base64.b64encode(other) + data[end:]
    assert "电子签名[SIG-1]: 签名值与所签字节的 SHA-256 摘要不符" in problems(write(tmp_path, changed))


def test_an_untrusted_but_valid_key_is_reported_when_trust_is_asked(
    make_package: Callable[..., Path],
) -> None:
    report = verify_package(make_package(), trusted_key_fingerprints={"0" * 64})
    assert not report.ok and "不在受信任的密钥中" in report.findings[0].problem


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<\xe7\x94\xb5\xe5\xad\x90\xe6\x96\x87\xe4\xbb\xb6\xe5\xb0\x81\xe8\xa3\x85\xe5\x8c\x85>&x;"
    b"</\xe7\x94\xb5\xe5\xad\x90\xe6\x96\x87\xe4\xbb\xb6\xe5\xb0\x81\xe8\xa3\x85\xe5\x8c\x85>"
)
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>'
)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (XXE, "DTD、实体声明、注释或 CDATA"),
        (BOMB, "DTD、实体声明、注释或 CDATA"),
        (b"<r><!-- hidden --></r>", "DTD、实体声明、注释或 CDATA"),
        (b'<r xmlns="urn:x"><?php evil ?></r>', "处理指令"),
        (b"<r>&undeclared;</r>", "格式良好"),
        (b'<eep:r xmlns:eep="urn:x"/>', "命名空间前缀"),
    ],
    ids=["xxe", "entity-bomb", "comment", "processing-instruction", "undeclared-entity", "prefixed-names"],
)
def test_hostile_markup_is_refused_with_a_clear_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    assert reason in problems(write(tmp_path, content))


def test_the_xxe_payload_is_never_read(tmp_path: Path) -> None:
    with pytest.raises(PackageRefused, match="XXE"):
        extract_package(write(tmp_path, XXE), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_package_in_the_wrong_namespace_is_refused(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = replace_once(make_package().read_bytes(), ns.EEP_NS.encode(), b"http://example.com/not-eep")
    found = problems(write(tmp_path, data))
    assert "命名空间错误或不是 EEP" in verify_package(write(tmp_path, data)).findings[0].expected
    assert "根元素" in found


def test_truncated_base64_is_named_as_truncation(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = make_package().read_bytes()
    end = data.index(f"</{ns.ENCODED_DATA}>".encode())
    changed = data[: end - 3] + data[end:]  # three characters gone: no longer a multiple of 4
    assert "Base64 被截断" in problems(write(tmp_path, changed))


def test_a_truncated_file_is_refused(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = make_package().read_bytes()
    assert "截断" in problems(write(tmp_path, data[: len(data) // 2]))


def test_an_oversize_package_is_refused_before_reading(make_package: Callable[..., Path]) -> None:
    report = verify_package(make_package(), limits=ReadLimits(max_package_bytes=1024))
    assert "超过 1024 字节的上限" in report.findings[0].problem


def test_oversize_metadata_outside_the_payload_is_refused(make_package: Callable[..., Path]) -> None:
    report = verify_package(make_package(), limits=ReadLimits(max_skeleton_bytes=2048))
    assert "元数据部分超过 2048 字节上限" in report.findings[0].problem


def test_a_schema_violation_names_the_element(make_package: Callable[..., Path], tmp_path: Path) -> None:
    data = replace_once(make_package().read_bytes(), "<文档主从声明>主文档".encode(), "<文档主从声明>正文".encode())
    found = problems(write(tmp_path, data))
    assert "不符合封装包 XSD" in found and "文档主从声明" in found


@pytest.mark.parametrize("variant", ["原始型", "locked", "修改型"])
def test_a_changed_byte_anywhere_in_the_file_fails_verification(
    make_package: Callable[..., Path], tmp_path: Path, signer: PackageSigner, variant: str
) -> None:
    """Flip one bit at evenly spread offsets over the whole file, prolog and signatures included."""
    path = make_package()
    if variant != "原始型":
        locked = tmp_path / "locked.eep"
        apply_lock_signature(path, locked, PackageSigner.generate("象山县档案馆"))
        path = locked
    if variant == "修改型":
        revised = tmp_path / "revised.eep"
        correction = MetadataRevision("更正档号", file_entity(), "象山县档案馆", dt.datetime.now(dt.UTC))
        with revised.open("wb") as out:
            build_revision(path, correction, out, signer)
        path = revised
    data = path.read_bytes()
    assert verify_package(path).ok
    step = max(1, len(data) // 400)
    target = tmp_path / "flipped.eep"
    passed = []
    for offset in range(0, len(data), step):
        target.write_bytes(data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :])
        if verify_package(target).ok:
            passed.append((offset, data[max(0, offset - 20) : offset + 20]))
    assert passed == []


def test_an_xml_declaration_other_than_utf8_xml_1_0_is_refused(tmp_path: Path) -> None:
    content = "<?xml version='1.1' encoding='utf-8'?><电子文件封装包/>".encode()
    assert "只接受 UTF-8 编码的 XML 1.0" in problems(write(tmp_path, content))
