"""Format (b) of the export: an E-ARK SIP (CSIP/SIP 2.1.0) for archives outside China.

Layout, with the folder named after the package's OBJID as CSIP asks:

    <OBJID>/METS.xml
    <OBJID>/metadata/descriptive/transfer-list.xml      the 移交清单 as descriptive metadata
    <OBJID>/metadata/preservation/PREMIS.xml            objects with SHA-256 fixity, agents, the event
    <OBJID>/documentation/README.txt                    what this package is, in Chinese and English
    <OBJID>/schemas/transfer-list.xsd                   the schema of the descriptive metadata
    <OBJID>/representations/rep1/METS.xml
    <OBJID>/representations/rep1/metadata/preservation/PREMIS.xml
    <OBJID>/representations/rep1/data/<档号>.eep

Files are written bottom-up so that each METS can state the size and checksum of everything it points to.
File names stay those of the domestic batch (the 档号); the METS hrefs percent-encode them.
"""

from __future__ import annotations

import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from archive.export.eark_mets import MetsFile, RootParts, build_package_mets, build_representation_mets
from archive.export.model import ExportBatch
from archive.export.namespaces import EEP_FORMAT_NAME, EEP_FORMAT_VERSION, EEP_MIMETYPE
from archive.export.premis import PremisFile, build_premis
from archive.export.staging import staged_output
from archive.export.streams import copy_package, write_bytes_hashed
from archive.export.transfer_list import build_transfer_list

REPRESENTATION = "rep1"
XML_MIMETYPE = "application/xml"


def sip_identifier(batch: ExportBatch) -> str:
    """The SIP's OBJID, which is also its folder name."""
    return batch.identifier


def write_eark_sip(batch: ExportBatch, parent: Path) -> Path:
    """Write the SIP as folder `parent/<OBJID>` (which must not exist yet); return that folder."""
    target = parent / sip_identifier(batch)
    with staged_output(target) as partial:
        partial.mkdir()
        _write_sip(batch, partial, sip_identifier(batch))
    return target


def write_eark_sip_zip(batch: ExportBatch, parent: Path) -> Path:
    """Write the SIP as `parent/<OBJID>.zip`, whose single top folder is `<OBJID>/`; return the zip."""
    objid = sip_identifier(batch)
    target = parent / f"{objid}.zip"
    with staged_output(target) as partial, tempfile.TemporaryDirectory(dir=parent, prefix=".sip-") as scratch:
        folder = Path(scratch) / objid
        folder.mkdir()
        _write_sip(batch, folder, objid)
        zip_folder(folder, partial)
    return target


def zip_folder(folder: Path, zip_path: Path) -> None:
    """Zip `folder` with the folder itself as the archive's single top entry; files are streamed."""
    with zipfile.ZipFile(zip_path, "x", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name, path.relative_to(folder)).as_posix())


def _write_sip(batch: ExportBatch, root: Path, objid: str) -> None:
    rep_mets = _write_representation(batch, root / "representations" / REPRESENTATION)
    rep_mets = _relocated(rep_mets, f"representations/{REPRESENTATION}/")

    descriptive = _write(root, "metadata/descriptive/transfer-list.xml", build_transfer_list(batch))
    schema = resources.files("archive.export").joinpath("schema/transfer-list.xsd").read_bytes()
    schemas = [_write(root, "schemas/transfer-list.xsd", schema, "file-schema-transfer-list")]
    documentation = [_write(root, "documentation/README.txt", _readme(batch, objid), "file-doc-readme", "text/plain")]
    premis_files = _premis_files(batch, f"representations/{REPRESENTATION}/")
    preservation = _write(root, "metadata/preservation/PREMIS.xml", build_premis(batch, REPRESENTATION, premis_files))
    parts = RootParts(descriptive, preservation, documentation, schemas)
    _write(root, "METS.xml", build_package_mets(batch, objid, parts, {REPRESENTATION: rep_mets}))


def _write_representation(batch: ExportBatch, rep: Path) -> MetsFile:
    data_dir = rep / "data"
    data_dir.mkdir(parents=True)
    data: list[MetsFile] = []
    for number, item in enumerate(batch.items, start=1):
        with (data_dir / item.package_file_name).open("xb") as target:
            copied = copy_package(item, target)
        href = f"data/{item.package_file_name}"
        data.append(
            MetsFile(
                file_id=f"file-{number:06d}",
                href=href,
                size=copied.size,
                sha256=copied.digests["sha256"],
                mimetype=EEP_MIMETYPE,
                format_name=EEP_FORMAT_NAME,
                format_version=EEP_FORMAT_VERSION,
            )
        )
    premis = _write(
        rep, "metadata/preservation/PREMIS.xml", build_premis(batch, REPRESENTATION, _premis_files(batch, ""))
    )
    return _write(
        rep,
        "METS.xml",
        build_representation_mets(batch, REPRESENTATION, premis, data),
        f"file-{REPRESENTATION}-mets",
    )


def _premis_files(batch: ExportBatch, prefix: str) -> list[PremisFile]:
    """The packages as PREMIS objects; `prefix` leads from the PREMIS document's METS to the representation.

    Size and digest come from the catalogue record, which `copy_package` has proven equal to the copied bytes.
    """
    return [
        PremisFile(
            archival_code=item.archival_code,
            original_name=item.package_file_name,
            location=f"{prefix}data/{item.package_file_name}",
            size=item.package_size,
            sha256=item.package_sha256,
        )
        for item in batch.items
    ]


def _write(base: Path, relative: str, data: bytes, file_id: str = "", mimetype: str = XML_MIMETYPE) -> MetsFile:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    written = write_bytes_hashed(path, data)
    return MetsFile(
        file_id=file_id, href=relative, size=written.size, sha256=written.digests["sha256"], mimetype=mimetype
    )


def _relocated(file: MetsFile, prefix: str) -> MetsFile:
    return MetsFile(file.file_id, prefix + file.href, file.size, file.sha256, file.mimetype)


def _readme(batch: ExportBatch, objid: str) -> bytes:
    lines = [
        f"E-ARK SIP {objid}",
        "",
        f"全宗：{batch.fonds_code} {batch.fonds_name}",
        f"年度：{batch.year}",
        f"移交单位：{batch.transferring_unit.name}（{batch.transferring_unit.code}）",
        f"接收单位：{batch.receiving_archives.name}（{batch.receiving_archives.code}）",
        f"件数：{batch.item_count}，封装包总字节数：{batch.total_bytes}",
        "",
        "This package follows E-ARK CSIP/SIP 2.1.0. Representation rep1 holds one DA/T 48-2009",
        "electronic records package (.eep, XML) per archival item, named after its DA/T 22-2015",
        "archival code (档号).",
        "metadata/descriptive/transfer-list.xml is the transfer list (移交清单), valid against",
        "schemas/transfer-list.xsd; it and metadata/preservation/PREMIS.xml give each package's SHA-256.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")
