"""Format (c) of the export: an RFC 8493 BagIt 1.0 bag for systems outside China.

The payload under `data/` is exactly the domestic batch (`移交清单.xml` and the `.eep` files); the tag files
are written here rather than by the `bagit` library, whose `make_bag` still declares version 0.97 and reads
every payload file a second time. Each package is read once: the copy computes SHA-256 (checked against the
catalogue) and SHA-512 together, and both manifests come from that single pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.export.eep_batch import write_eep_payload
from archive.export.model import ExportBatch
from archive.export.namespaces import SOFTWARE_NAME, SOFTWARE_VERSION
from archive.export.staging import staged_output
from archive.export.streams import CopyResult, write_bytes_hashed

BAGIT_VERSION = "1.0"
# hashlib name -> the algorithm name in manifest file names (RFC 8493 §2.4: lowercase, no hyphen).
ALGORITHMS = ("sha256", "sha512")
PAYLOAD_DIR = "data"


@dataclass(frozen=True, slots=True)
class _ManifestLine:
    path: str  # relative to the bag's base directory, "/"-separated, not yet percent-encoded
    copy: CopyResult


def write_bag(batch: ExportBatch, target: Path) -> Path:
    """Write the batch as BagIt 1.0 bag directory `target` (which must not exist yet); return `target`."""
    with staged_output(target) as partial:
        payload = partial / PAYLOAD_DIR
        payload.mkdir(parents=True)
        lines = _write_payload(batch, payload)
        tag_lines = _write_tag_files(batch, partial, lines)
        for algorithm in ALGORITHMS:
            (partial / f"tagmanifest-{algorithm}.txt").write_bytes(_manifest(tag_lines, algorithm))
    return target


def encode_manifest_path(path: str) -> str:
    """RFC 8493 §2.1.3: percent-encode CR, LF and "%" in a manifest file path, and only those.

    "%" goes first, or the "%" of the encodings just made would be encoded again.
    """
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def bag_info(batch: ExportBatch, payload_bytes: int, payload_files: int) -> bytes:
    """The bag-info.txt tag file; `Payload-Oxum` is "octets.streams" of everything under data/."""
    created = batch.created_at
    fields = [
        ("Source-Organization", batch.transferring_unit.name),
        ("External-Identifier", batch.identifier),
        (
            "External-Description",
            f"全宗 {batch.fonds_code} {batch.fonds_name} {batch.year} 年度向 {batch.receiving_archives.name} "
            f"移交：{batch.item_count} 件 DA/T 48-2009 电子文件封装包及移交清单",
        ),
        ("Internal-Sender-Identifier", f"{batch.fonds_code}-{batch.year}"),
        ("Bagging-Date", created.date().isoformat()),
        ("Payload-Oxum", f"{payload_bytes}.{payload_files}"),
        ("Bag-Size", _human_size(payload_bytes)),
        ("Bag-Software-Agent", f"{SOFTWARE_NAME} {SOFTWARE_VERSION}"),
    ]
    return "".join(f"{label}: {value}\n" for label, value in fields).encode("utf-8")


def _write_payload(batch: ExportBatch, payload: Path) -> list[_ManifestLine]:
    written = write_eep_payload(batch, payload, ALGORITHMS)
    return [_ManifestLine(f"{PAYLOAD_DIR}/{name}", copy) for name, copy in written]


def _write_tag_files(batch: ExportBatch, bag: Path, payload: list[_ManifestLine]) -> list[_ManifestLine]:
    declaration = f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n".encode()
    tag_files: list[tuple[str, bytes]] = [
        ("bagit.txt", declaration),
        ("bag-info.txt", bag_info(batch, sum(line.copy.size for line in payload), len(payload))),
    ]
    tag_files += [(f"manifest-{algorithm}.txt", _manifest(payload, algorithm)) for algorithm in ALGORITHMS]
    return [_ManifestLine(name, write_bytes_hashed(bag / name, data, ALGORITHMS)) for name, data in tag_files]


def _manifest(lines: list[_ManifestLine], algorithm: str) -> bytes:
    # Sorted so the same batch always yields byte-identical manifests (easy to diff, easy to re-sign).
    rows = sorted(f"{line.copy.digests[algorithm]}  {encode_manifest_path(line.path)}\n" for line in lines)
    return "".join(rows).encode("utf-8")


def _human_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
