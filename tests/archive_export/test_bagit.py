"""Format (c): the BagIt 1.0 bag, checked by the real `bagit` library and its command line, in full."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bagit as bagit_library
import pytest

from archive.export import ExportBatch
from archive.export.bagit import encode_manifest_path, write_bag
from archive.export.transfer_list_reader import read_transfer_list


def _bagit_cli(bag: Path) -> subprocess.CompletedProcess[str]:
    # The console script installed with the library, run by this interpreter: a full (not --fast) check.
    script = Path(sys.executable).with_name("bagit.py")
    return subprocess.run(
        [sys.executable, str(script), "--validate", str(bag)], capture_output=True, text=True, check=False
    )


def _flip_one_byte(path: Path, offset: int = 200) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x20
    path.write_bytes(bytes(data))


@pytest.fixture
def bag(batch: ExportBatch, out_dir: Path) -> Path:
    return write_bag(batch, out_dir / "bag")


def test_the_bag_passes_full_validation_by_the_bagit_library(bag: Path) -> None:
    loaded = bagit_library.Bag(str(bag))
    loaded.validate(fast=False)
    assert loaded.version_info == (1, 0)
    assert set(loaded.algorithms) == {"sha256", "sha512"}


def test_the_bag_passes_the_bagit_command_line_validation(bag: Path) -> None:
    completed = _bagit_cli(bag)
    assert completed.returncode == 0, completed.stderr
    assert "is valid" in completed.stderr


def test_a_same_size_change_to_one_payload_byte_fails_full_validation(batch: ExportBatch, bag: Path) -> None:
    _flip_one_byte(bag / "data" / batch.items[1].package_file_name)
    # Payload-Oxum only counts bytes and files: the fast check cannot see this, which is why we never use it.
    bagit_library.Bag(str(bag)).validate(fast=True)
    with pytest.raises(bagit_library.BagValidationError, match=r"0002\.eep sha256 validation failed"):
        bagit_library.Bag(str(bag)).validate(fast=False)
    completed = _bagit_cli(bag)
    assert completed.returncode != 0
    assert "is invalid" in completed.stderr


def test_a_changed_tag_file_fails_validation_through_the_tag_manifest(bag: Path) -> None:
    info = bag / "bag-info.txt"
    info.write_text(info.read_text(encoding="utf-8").replace("象山县档案馆", "象山县档案局"), encoding="utf-8")
    with pytest.raises(bagit_library.BagValidationError):
        bagit_library.Bag(str(bag)).validate(fast=False)


def test_the_bag_declares_version_1_0_and_utf_8_exactly_as_rfc_8493_writes_it(bag: Path) -> None:
    assert (bag / "bagit.txt").read_bytes() == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def test_bag_info_carries_the_oxum_the_date_the_source_and_the_identifier(batch: ExportBatch, bag: Path) -> None:
    info = bagit_library.Bag(str(bag)).info
    payload = [path for path in (bag / "data").rglob("*") if path.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    assert len(payload) == batch.item_count + 1
    assert info["Bagging-Date"] == "2026-01-15"
    assert info["Source-Organization"] == "象山县人民政府办公室"
    assert info["External-Identifier"] == batch.identifier


def test_the_payload_is_the_transfer_list_and_the_packages(batch: ExportBatch, bag: Path) -> None:
    listing = read_transfer_list(bag / "data" / "移交清单.xml")
    assert [entry.file_name for entry in listing.entries] == [item.package_file_name for item in batch.items]
    manifest = (bag / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    for item in batch.items:
        assert f"{item.package_sha256}  data/{item.package_file_name}" in manifest
    tag_manifest = (bag / "tagmanifest-sha256.txt").read_text(encoding="utf-8")
    for tag_file in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt"):
        assert f"  {tag_file}\n" in tag_manifest


@pytest.mark.parametrize(
    ("path", "encoded"),
    [
        ("data/a%b.eep", "data/a%25b.eep"),
        ("data/line\nbreak.eep", "data/line%0Abreak.eep"),
        ("data/cr\r\nlf.eep", "data/cr%0D%0Alf.eep"),
        ("data/already%0A.eep", "data/already%250A.eep"),
        ("data/档号·0001.eep", "data/档号·0001.eep"),
    ],
)
def test_manifest_paths_percent_encode_cr_lf_and_percent_only(path: str, encoded: str) -> None:
    assert encode_manifest_path(path) == encoded
