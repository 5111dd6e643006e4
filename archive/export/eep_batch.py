"""Format (a) of the export: the domestic batch, `移交清单.xml` beside one `.eep` file per item.

Written as a directory or as a zip; packages are streamed (never loaded whole) and each one is checked
against its catalogue size and SHA-256 while it is copied. `verify_eep_batch` is the receiver's side: it
reads the list with the hardened reader and re-hashes every package, for either form.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from archive.export.errors import TransferListInvalid
from archive.export.model import ExportBatch
from archive.export.staging import staged_output
from archive.export.streams import CHUNK_SIZE, ByteSource, CopyResult, copy_package, write_bytes_hashed
from archive.export.transfer_list import FILE_NAME as TRANSFER_LIST_NAME
from archive.export.transfer_list import build_transfer_list
from archive.export.transfer_list_reader import MAX_TRANSFER_LIST_BYTES, TransferList, read_transfer_list


def write_eep_batch_directory(batch: ExportBatch, target: Path) -> Path:
    """Write the batch as directory `target` (which must not exist yet); return `target`."""
    with staged_output(target) as partial:
        partial.mkdir()
        write_eep_payload(batch, partial)
    return target


def write_eep_payload(
    batch: ExportBatch, directory: Path, algorithms: Iterable[str] = ("sha256",)
) -> list[tuple[str, CopyResult]]:
    """Write the batch's files into an existing directory; return (file name, size and digests) per file.

    Shared with the BagIt writer, whose payload is exactly this batch (it asks for SHA-512 as well).
    """
    written = [
        (
            TRANSFER_LIST_NAME,
            write_bytes_hashed(directory / TRANSFER_LIST_NAME, build_transfer_list(batch), algorithms),
        )
    ]
    for item in batch.items:
        with (directory / item.package_file_name).open("xb") as target:
            written.append((item.package_file_name, copy_package(item, target, algorithms)))
    return written


def write_eep_batch_zip(batch: ExportBatch, target: Path) -> Path:
    """Write the batch as zip file `target`, the same files at its root; return `target`."""
    with staged_output(target) as partial, zipfile.ZipFile(partial, "x", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(TRANSFER_LIST_NAME, build_transfer_list(batch))
        for item in batch.items:
            # force_zip64: the size is not known to the zip writer up front and packages may exceed 4 GB.
            with archive.open(item.package_file_name, "w", force_zip64=True) as entry:
                copy_package(item, entry)
    return target


def verify_eep_batch(path: Path) -> TransferList:
    """Check a received batch (directory or zip): valid list, exactly the listed files, every digest."""
    if path.is_dir():
        return _verify_directory(path)
    if zipfile.is_zipfile(path):
        return _verify_zip(path)
    raise TransferListInvalid(f"{path} 既不是目录也不是 zip 文件")


def _verify_directory(path: Path) -> TransferList:
    if not (path / TRANSFER_LIST_NAME).is_file():
        raise TransferListInvalid(f"{path} 中没有 {TRANSFER_LIST_NAME}")
    listing = read_transfer_list(path / TRANSFER_LIST_NAME)
    present = {child.name for child in path.iterdir() if child.name != TRANSFER_LIST_NAME}
    _check_file_set(listing, present)
    for entry in listing.entries:
        with (path / entry.file_name).open("rb") as stream:
            _check_entry_stream(entry.file_name, entry.size, entry.sha256, stream)
    return listing


def _verify_zip(path: Path) -> TransferList:
    with zipfile.ZipFile(path) as archive:
        if TRANSFER_LIST_NAME not in archive.namelist():
            raise TransferListInvalid(f"{path} 中没有 {TRANSFER_LIST_NAME}")
        info = archive.getinfo(TRANSFER_LIST_NAME)
        if info.file_size > MAX_TRANSFER_LIST_BYTES:
            raise TransferListInvalid(f"移交清单超过 {MAX_TRANSFER_LIST_BYTES} 字节上限，拒绝解析")
        listing = read_transfer_list(archive.read(info))
        present = {name for name in archive.namelist() if name != TRANSFER_LIST_NAME}
        _check_file_set(listing, present)
        for entry in listing.entries:
            with archive.open(entry.file_name) as stream:
                _check_entry_stream(entry.file_name, entry.size, entry.sha256, stream)
    return listing


def _check_file_set(listing: TransferList, present: set[str]) -> None:
    listed = {entry.file_name for entry in listing.entries}
    for name in present | listed:
        # A listed name with a directory part could point outside the batch: never follow it.
        if len(PurePosixPath(name).parts) != 1:
            raise TransferListInvalid(f"文件名 {name!r} 含有路径，拒绝处理")
    missing, extra = sorted(listed - present), sorted(present - listed)
    if missing:
        raise TransferListInvalid(f"移交清单列出的封装包缺失：{', '.join(missing)}")
    if extra:
        raise TransferListInvalid(f"批次中有移交清单未列出的文件：{', '.join(extra)}")


def _check_entry_stream(name: str, size: int, sha256: str, stream: ByteSource) -> None:
    digest = hashlib.sha256()
    seen = 0
    while chunk := stream.read(CHUNK_SIZE):
        seen += len(chunk)
        # Stop as soon as the file outgrows its listed size: a crafted zip entry may inflate without end.
        if seen > size:
            break
        digest.update(chunk)
    if seen != size or digest.hexdigest() != sha256:
        raise TransferListInvalid(f"{name} 的大小或 SHA-256 与移交清单不符，文件在传输中被改动或损坏")
