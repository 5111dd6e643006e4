"""The single entry point of the transfer export: one batch, the formats asked for, one path per format.

No database and no settings: the caller (a use case, the CLI) gathers the accepted items of a year, builds
the `ExportBatch` and chooses the output directory. Each format lands in a sub-folder named after the format,
under the batch's identifier, so several formats of one batch sit side by side:

    out_dir/eep/<id>/        out_dir/eep/<id>.zip        (format "eep", "eep-zip")
    out_dir/bagit/<id>/                                  (format "bagit")
    out_dir/eark/<id>/       out_dir/eark/<id>.zip       (format "eark", "eark-zip")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from archive.export.bagit import write_bag
from archive.export.eark_sip import write_eark_sip, write_eark_sip_zip
from archive.export.eep_batch import write_eep_batch_directory, write_eep_batch_zip
from archive.export.errors import UnknownExportFormat
from archive.export.model import ExportBatch

_WRITERS: dict[str, Callable[[ExportBatch, Path], Path]] = {
    "eep": lambda batch, out: write_eep_batch_directory(batch, out / "eep" / batch.identifier),
    "eep-zip": lambda batch, out: write_eep_batch_zip(batch, out / "eep" / f"{batch.identifier}.zip"),
    "bagit": lambda batch, out: write_bag(batch, out / "bagit" / batch.identifier),
    "eark": lambda batch, out: write_eark_sip(batch, _folder(out / "eark")),
    "eark-zip": lambda batch, out: write_eark_sip_zip(batch, _folder(out / "eark")),
}
FORMATS = frozenset(_WRITERS)


def export_batch(batch: ExportBatch, out_dir: Path, formats: Iterable[str]) -> dict[str, Path]:
    """Write `batch` in every format of `formats` under `out_dir`; return {format: written path}.

    Unknown format names are refused before anything is written. Each output appears whole or not at all
    and none overwrites an existing one; if a later format fails, the outputs already finished stay.
    """
    wanted = set(formats)
    unknown = sorted(wanted - FORMATS)
    if unknown:
        raise UnknownExportFormat(f"不支持的导出格式：{', '.join(unknown)}；可选：{', '.join(sorted(FORMATS))}")
    if not wanted:
        raise UnknownExportFormat(f"请至少选择一种导出格式：{', '.join(sorted(FORMATS))}")
    # A fixed order keeps the run reproducible (and its log readable) whatever order the caller used.
    return {name: _WRITERS[name](batch, out_dir) for name in sorted(wanted)}


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
