"""`export_batch`: every format of one batch side by side, unknown formats refused before any write."""

from __future__ import annotations

import zipfile
from pathlib import Path

import bagit as bagit_library
import pytest

from archive.export import FORMATS, ExportBatch, ExportTargetExists, UnknownExportFormat, export_batch
from archive.export.eep_batch import verify_eep_batch


def test_exporting_every_format_writes_each_under_its_own_folder(batch: ExportBatch, out_dir: Path) -> None:
    written = export_batch(batch, out_dir, FORMATS)
    name = batch.identifier
    assert written == {
        "bagit": out_dir / "bagit" / name,
        "eark": out_dir / "eark" / name,
        "eark-zip": out_dir / "eark" / f"{name}.zip",
        "eep": out_dir / "eep" / name,
        "eep-zip": out_dir / "eep" / f"{name}.zip",
    }
    assert verify_eep_batch(written["eep"]).item_count == batch.item_count
    assert verify_eep_batch(written["eep-zip"]).total_bytes == batch.total_bytes
    bagit_library.Bag(str(written["bagit"])).validate(fast=False)
    assert (written["eark"] / "METS.xml").is_file()
    with zipfile.ZipFile(written["eark-zip"]) as archive:
        assert archive.read(f"{name}/METS.xml") == (written["eark"] / "METS.xml").read_bytes()
    # Nothing else is left behind: no scratch or partial outputs.
    assert sorted(p.name for p in out_dir.rglob("*") if p.name.startswith(".")) == []


def test_the_same_batch_exported_twice_gives_identical_metadata(batch: ExportBatch, tmp_path: Path) -> None:
    first = export_batch(batch, tmp_path / "first", {"eark", "bagit"})
    second = export_batch(batch, tmp_path / "second", {"eark", "bagit"})
    for relative in ("METS.xml", "representations/rep1/METS.xml", "metadata/preservation/PREMIS.xml"):
        assert (first["eark"] / relative).read_bytes() == (second["eark"] / relative).read_bytes()
    for tag_file in ("bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"):
        assert (first["bagit"] / tag_file).read_bytes() == (second["bagit"] / tag_file).read_bytes()


def test_an_unknown_format_is_refused_before_anything_is_written(batch: ExportBatch, out_dir: Path) -> None:
    with pytest.raises(UnknownExportFormat, match="tar"):
        export_batch(batch, out_dir, {"eep", "tar"})
    assert list(out_dir.iterdir()) == []


def test_an_empty_format_list_is_refused(batch: ExportBatch, out_dir: Path) -> None:
    with pytest.raises(UnknownExportFormat, match="至少选择一种"):
        export_batch(batch, out_dir, set())


def test_exporting_a_batch_again_into_the_same_place_is_refused(batch: ExportBatch, out_dir: Path) -> None:
    export_batch(batch, out_dir, {"eep"})
    with pytest.raises(ExportTargetExists, match="不会覆盖"):
        export_batch(batch, out_dir, {"eep"})
