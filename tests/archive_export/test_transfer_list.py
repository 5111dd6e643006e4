"""The 移交清单: valid against the shipped XSD, totals that add up, and a reader that refuses hostile XML."""

from __future__ import annotations

import subprocess
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from archive.export import ExportBatch, HostileXml, InvalidExportBatch, TransferListInvalid
from archive.export.transfer_list import build_transfer_list
from archive.export.transfer_list_reader import read_transfer_list

TL = "urn:xiangshan-oa:archive:transfer-list:1"
NS = {"tl": TL}


def _xsd_path() -> Path:
    return Path(str(resources.files("archive.export").joinpath("schema/transfer-list.xsd")))


def test_the_transfer_list_is_valid_against_the_shipped_schema_according_to_xmllint(
    batch: ExportBatch, tmp_path: Path, xmllint: str
) -> None:
    document = tmp_path / "移交清单.xml"
    document.write_bytes(build_transfer_list(batch))
    completed = subprocess.run(
        [xmllint, "--noout", "--nonet", "--schema", str(_xsd_path()), str(document)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_the_transfer_list_declares_totals_that_match_its_entries(batch: ExportBatch) -> None:
    root = etree.fromstring(build_transfer_list(batch))
    sizes = [int(text) for text in root.xpath("//tl:封装包/tl:字节数/text()", namespaces=NS)]
    assert root.findtext("tl:统计/tl:件数", namespaces=NS) == "3"
    assert int(root.findtext("tl:统计/tl:总字节数", namespaces=NS)) == sum(sizes) == batch.total_bytes
    assert root.xpath("//tl:条目/@序号", namespaces=NS) == ["1", "2", "3"]


def test_reading_a_transfer_list_returns_every_entry_with_its_digest(batch: ExportBatch) -> None:
    listing = read_transfer_list(build_transfer_list(batch))
    assert listing.item_count == 3 and listing.total_bytes == batch.total_bytes
    assert listing.created_at == batch.created_at
    assert listing.receiving_archives == batch.receiving_archives
    for entry, item in zip(listing.entries, batch.items, strict=True):
        assert (entry.archival_code, entry.sha256, entry.size) == (
            item.archival_code,
            item.package_sha256,
            item.package_size,
        )
        assert (entry.doc_number, entry.page_count, entry.retention) == (
            item.doc_number,
            item.page_count,
            item.retention,
        )
        assert entry.file_name == item.package_file_name


def test_a_transfer_list_whose_declared_count_is_wrong_is_refused(batch: ExportBatch) -> None:
    data = build_transfer_list(batch).replace("<件数>3</件数>".encode(), "<件数>4</件数>".encode())
    with pytest.raises(TransferListInvalid, match="声明 4 件，实际列出 3 件"):
        read_transfer_list(data)


def test_a_transfer_list_whose_declared_bytes_are_wrong_is_refused(batch: ExportBatch) -> None:
    total = f"<总字节数>{batch.total_bytes}</总字节数>".encode()
    data = build_transfer_list(batch).replace(total, f"<总字节数>{batch.total_bytes + 1}</总字节数>".encode())
    with pytest.raises(TransferListInvalid, match="总字节数"):
        read_transfer_list(data)


def test_a_transfer_list_breaking_the_schema_is_refused_with_the_line(batch: ExportBatch) -> None:
    data = build_transfer_list(batch).replace("永久".encode(), "长期".encode())
    with pytest.raises(TransferListInvalid, match=r"transfer-list\.xsd.*第 \d+ 行"):
        read_transfer_list(data)


def test_a_transfer_list_with_an_external_entity_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE 移交清单 [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<移交清单 xmlns="{TL}" 版本="1.0"><批次标识>&x;</批次标识></移交清单>'
    ).encode()
    with pytest.raises(HostileXml, match="DOCTYPE") as refused:
        read_transfer_list(data)
    assert "TOP-SECRET" not in str(refused.value)


def test_a_transfer_list_with_an_entity_bomb_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE 移交清单 [{entities}]>'
        f'<移交清单 xmlns="{TL}" 版本="1.0"><批次标识>&a9;</批次标识></移交清单>'
    ).encode()
    with pytest.raises(HostileXml):
        read_transfer_list(data)


def test_a_transfer_list_pointing_to_an_external_dtd_is_refused() -> None:
    data = (
        '<?xml version="1.0"?><!DOCTYPE 移交清单 SYSTEM "http://127.0.0.1:9/evil.dtd">'
        f'<移交清单 xmlns="{TL}" 版本="1.0"/>'
    ).encode()
    with pytest.raises(HostileXml):
        read_transfer_list(data)


def test_a_truncated_transfer_list_is_refused_as_malformed(batch: ExportBatch) -> None:
    data = build_transfer_list(batch)
    with pytest.raises(TransferListInvalid, match="格式正确"):
        read_transfer_list(data[: len(data) // 2])


def test_an_oversize_transfer_list_is_refused_before_parsing(batch: ExportBatch, tmp_path: Path) -> None:
    path = tmp_path / "移交清单.xml"
    path.write_bytes(build_transfer_list(batch))
    with pytest.raises(TransferListInvalid, match="上限"):
        read_transfer_list(path, max_bytes=100)


def test_a_transfer_list_that_would_break_the_schema_is_never_produced(batch: ExportBatch) -> None:
    # Bypass the model's own checks, as a future rule added to the schema but not to the model would.
    object.__setattr__(batch.items[0], "unit_name", "办公室\t")
    with pytest.raises(InvalidExportBatch, match=r"不符合 transfer-list\.xsd"):
        build_transfer_list(batch)
