"""Streaming copies that hash on the way: every package is read exactly once per output, in fixed-size
chunks, so memory stays flat whatever the size of the packages.

The copy also proves the export faithful: what was read must have the size and SHA-256 the catalogue recorded
for the item, otherwise the file was damaged or replaced after acceptance and the export stops.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from archive.export.errors import PackageFileMismatch
from archive.export.model import ExportItem

CHUNK_SIZE = 1024 * 1024


class ByteSource(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ByteSink(Protocol):
    def write(self, data: bytes, /) -> object: ...


@dataclass(frozen=True, slots=True)
class CopyResult:
    """Size and hex digests (keyed by hashlib name, e.g. "sha256") of the bytes that were written."""

    size: int
    digests: dict[str, str]


def copy_stream(source: ByteSource, target: ByteSink, algorithms: Iterable[str] = ("sha256",)) -> CopyResult:
    """Copy `source` to `target` chunk by chunk, hashing each chunk with every algorithm named."""
    hashers = {name: hashlib.new(name) for name in algorithms}
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        for hasher in hashers.values():
            hasher.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return CopyResult(size=size, digests={name: h.hexdigest() for name, h in hashers.items()})


def copy_package(item: ExportItem, target: ByteSink, algorithms: Iterable[str] = ("sha256",)) -> CopyResult:
    """Copy an item's `.eep` file into `target` and check it against the catalogue record."""
    wanted = {"sha256", *algorithms}
    try:
        with item.package_path.open("rb") as source:
            result = copy_stream(source, target, wanted)
    except FileNotFoundError as exc:
        raise PackageFileMismatch(f"{item.archival_code} 的封装包文件不存在：{item.package_path}") from exc
    check_against_record(item, result)
    return result


def check_against_record(item: ExportItem, result: CopyResult) -> None:
    if result.size != item.package_size:
        raise PackageFileMismatch(
            f"{item.archival_code} 的封装包大小为 {result.size} 字节，目录记录为 {item.package_size} 字节；"
            "请运行 oa archive audit 检查存储"
        )
    if result.digests["sha256"] != item.package_sha256:
        raise PackageFileMismatch(
            f"{item.archival_code} 的封装包 SHA-256 与目录记录不符，文件可能已损坏；请运行 oa archive audit 检查存储"
        )


def hash_file(path: Path, algorithms: Iterable[str] = ("sha256",)) -> CopyResult:
    """Hash a file without copying it (used for the metadata files the export itself wrote)."""
    hashers = {name: hashlib.new(name) for name in algorithms}
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK_SIZE):
            for hasher in hashers.values():
                hasher.update(chunk)
            size += len(chunk)
    return CopyResult(size=size, digests={name: h.hexdigest() for name, h in hashers.items()})


def write_bytes_hashed(path: Path, data: bytes, algorithms: Iterable[str] = ("sha256",)) -> CopyResult:
    """Write a small generated file (tag file, XML) and return its size and digests."""
    path.write_bytes(data)
    digests = {name: hashlib.new(name, data).hexdigest() for name in algorithms}
    return CopyResult(size=len(data), digests=digests)


def remove_tree(path: Path) -> None:
    """Remove a half-written output; used only on paths the export itself created."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
