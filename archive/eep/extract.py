"""Restore the files of a package to a directory, verifying the package in the same pass.

The decoded bytes are written to hidden ``.part`` files while the package streams through the reader;
only when the whole package verifies are they renamed to their 计算机文件名 (made safe: no directories,
no ``..``, no control characters, duplicates numbered). A package that fails leaves nothing behind.
"""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath
from typing import BinaryIO

from archive.eep import namespaces as ns
from archive.eep.metadata_reader import text
from archive.eep.reader import ReadLimits, scan_package
from archive.eep.verify import DEFAULT_LIMITS, VerifyReport, evaluate_scan

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


class PackageRejected(ValueError):
    """The package did not verify; ``report`` says why."""

    def __init__(self, report: VerifyReport) -> None:
        reasons = "；".join(f"{finding.element}: {finding.problem}" for finding in report.findings)
        super().__init__(f"封装包 {report.path} 未通过校验：{reasons}")
        self.report = report


def safe_file_name(declared: str, index: int, taken: set[str]) -> str:
    """A plain file name derived from an untrusted 计算机文件名, unique within ``taken``."""
    name = _UNSAFE.sub("_", PureWindowsPath(declared.replace("/", "\\")).name).strip(" .")
    if not name:
        name = f"文件-{index + 1}"
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, counter = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem} ({counter}).{suffix}" if suffix else f"{stem} ({counter})"
        counter += 1
    taken.add(candidate.lower())
    return candidate


def extract_package(path: Path, out_dir: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> list[Path]:
    """Verify ``path`` and write its files into ``out_dir``, in document order.

    Raises ``PackageRefused`` for hostile or malformed input and ``PackageRejected`` when the package
    parses but does not verify (bad digest, signature, schema …).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    parts: list[tuple[Path, BinaryIO]] = []

    def open_part(index: int) -> BinaryIO:
        part = out_dir / f".eep-{path.stem}-{index}.part"
        stream = part.open("wb")
        parts.append((part, stream))
        return stream

    def discard() -> None:
        for part, stream in parts:
            stream.close()
            part.unlink(missing_ok=True)

    try:
        scan = scan_package(path, limits=limits, payload_target=open_part)
        report = evaluate_scan(path, scan)
    except BaseException:  # refused, or anything unexpected: never leave half-written files behind
        discard()
        raise
    if not report.ok:
        discard()
        raise PackageRejected(report)
    taken = {existing.name.lower() for existing in out_dir.iterdir()}
    restored: list[Path] = []
    for index, node in enumerate(scan.root.iter(ns.q(ns.ENCODED_DATA))):
        part, stream = parts[index]
        stream.close()
        declared = text(node.getparent(), ns.ELECTRONIC_ATTRIBUTES, ns.COMPUTER_FILE_NAME) or ""
        target = out_dir / safe_file_name(declared, index, taken)
        part.rename(target)
        restored.append(target)
    return restored
