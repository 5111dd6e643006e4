"""Format (a): the EEP batch as a directory or a zip, checked on the way out and again on the way in."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from archive.export import ExportBatch, ExportTargetExists, PackageFileMismatch, TransferListInvalid
from archive.export.eep_batch import verify_eep_batch, write_eep_batch_directory, write_eep_batch_zip


def _flip_one_byte(path: Path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_the_batch_directory_holds_the_transfer_list_and_every_package_named_by_its_archival_code(
    batch: ExportBatch, out_dir: Path
) -> None:
    target = write_eep_batch_directory(batch, out_dir / "batch")
    names = sorted(path.name for path in target.iterdir())
    assert names == sorted(["移交清单.xml", *(item.package_file_name for item in batch.items)])
    for item in batch.items:
        assert (target / item.package_file_name).read_bytes() == item.package_path.read_bytes()
    assert verify_eep_batch(target).item_count == 3


def test_the_batch_zip_holds_the_same_files_and_verifies(batch: ExportBatch, out_dir: Path) -> None:
    target = write_eep_batch_zip(batch, out_dir / "batch.zip")
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(["移交清单.xml", *(i.package_file_name for i in batch.items)])
        first = batch.items[0]
        assert archive.read(first.package_file_name) == first.package_path.read_bytes()
    assert verify_eep_batch(target).total_bytes == batch.total_bytes


def test_a_package_changed_since_acceptance_stops_the_export_and_leaves_nothing(
    batch: ExportBatch, out_dir: Path
) -> None:
    damaged = batch.items[1]
    _flip_one_byte(damaged.package_path)
    with pytest.raises(PackageFileMismatch, match=damaged.archival_code):
        write_eep_batch_directory(batch, out_dir / "batch")
    with pytest.raises(PackageFileMismatch, match="SHA-256"):
        write_eep_batch_zip(batch, out_dir / "batch.zip")
    assert list(out_dir.iterdir()) == []


def test_a_package_of_another_size_than_recorded_is_reported_with_both_sizes(batch: ExportBatch, out_dir: Path) -> None:
    item = batch.items[2]
    with item.package_path.open("ab") as stream:
        stream.write(b"\n")
    with pytest.raises(PackageFileMismatch, match=f"{item.package_size + 1} 字节，目录记录为 {item.package_size}"):
        write_eep_batch_directory(batch, out_dir / "batch")


def test_a_missing_package_file_is_reported_by_archival_code(batch: ExportBatch, out_dir: Path) -> None:
    batch.items[0].package_path.unlink()
    with pytest.raises(PackageFileMismatch, match=f"{batch.items[0].archival_code} 的封装包文件不存在"):
        write_eep_batch_directory(batch, out_dir / "batch")


def test_an_existing_output_is_never_overwritten(batch: ExportBatch, out_dir: Path) -> None:
    earlier = out_dir / "batch"
    earlier.mkdir()
    (earlier / "keep.txt").write_text("earlier export")
    with pytest.raises(ExportTargetExists):
        write_eep_batch_directory(batch, earlier)
    assert [path.name for path in earlier.iterdir()] == ["keep.txt"]


def test_verifying_a_received_batch_catches_a_same_size_change_to_a_package(batch: ExportBatch, out_dir: Path) -> None:
    target = write_eep_batch_directory(batch, out_dir / "batch")
    _flip_one_byte(target / batch.items[0].package_file_name)
    with pytest.raises(TransferListInvalid, match="SHA-256"):
        verify_eep_batch(target)


def test_verifying_a_received_batch_catches_a_missing_and_an_unlisted_file(batch: ExportBatch, out_dir: Path) -> None:
    target = write_eep_batch_directory(batch, out_dir / "batch")
    (target / "intruder.eep").write_bytes(b"<x/>")
    with pytest.raises(TransferListInvalid, match=r"未列出.*intruder\.eep"):
        verify_eep_batch(target)
    (target / "intruder.eep").unlink()
    (target / batch.items[2].package_file_name).unlink()
    with pytest.raises(TransferListInvalid, match=re.escape(f"缺失：{batch.items[2].package_file_name}")):
        verify_eep_batch(target)


def test_copying_a_large_package_keeps_memory_flat(batch: ExportBatch, out_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.eep"
    digest = hashlib.sha256()
    block = bytes(range(256)) * 4096  # 1 MiB
    with big.open("wb") as stream:
        for _ in range(48):
            stream.write(block)
            digest.update(block)
    item = dataclasses.replace(
        batch.items[0], package_path=big, package_size=48 * len(block), package_sha256=digest.hexdigest()
    )
    large = dataclasses.replace(batch, items=(item,))
    tracemalloc.start()
    try:
        write_eep_batch_directory(large, out_dir / "large")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 48 MiB went through; the copy holds one 1 MiB chunk (plus hashing state) at a time.
    assert peak < 4 * 1024 * 1024


def test_verifying_a_batch_without_its_transfer_list_says_so(batch: ExportBatch, out_dir: Path) -> None:
    target = write_eep_batch_directory(batch, out_dir / "batch")
    (target / "移交清单.xml").unlink()
    with pytest.raises(TransferListInvalid, match=r"没有 移交清单\.xml"):
        verify_eep_batch(target)
    bare_zip = out_dir / "bare.zip"
    with zipfile.ZipFile(bare_zip, "w") as archive:
        archive.writestr(batch.items[0].package_file_name, batch.items[0].package_path.read_bytes())
    with pytest.raises(TransferListInvalid, match=r"没有 移交清单\.xml"):
        verify_eep_batch(bare_zip)


def test_verifying_stops_reading_a_zip_entry_that_outgrows_its_listed_size(
    batch: ExportBatch, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_eep_batch_zip(batch, out_dir / "good.zip")
    inflated = out_dir / "inflated.zip"
    padding = 50_000_000  # compresses to almost nothing, inflates to 50 MB
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(inflated, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == batch.items[2].package_file_name:
                data += b"\0" * padding
            target.writestr(name, data)
    bytes_read = 0
    original_read = zipfile.ZipExtFile.read

    def counting_read(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        nonlocal bytes_read
        data = original_read(self, n)
        bytes_read += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    with pytest.raises(TransferListInvalid, match=batch.items[2].archival_code):
        verify_eep_batch(inflated)
    assert bytes_read < batch.total_bytes + 4 * 1024 * 1024 < padding
