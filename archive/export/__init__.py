"""Export for transfer: a year's accepted archive items as an EEP batch with its 移交清单, as an E-ARK SIP
(CSIP/SIP 2.1.0) or as a BagIt 1.0 bag.

`export_batch` is the entry point; the writers are usable on their own.
"""

from archive.export.errors import (
    ExportError,
    ExportTargetExists,
    HostileXml,
    InvalidExportBatch,
    PackageFileMismatch,
    TransferListInvalid,
    UnknownExportFormat,
)
from archive.export.exporter import FORMATS, export_batch
from archive.export.model import ExportBatch, ExportItem, Organisation, Retention

__all__ = [
    "FORMATS",
    "ExportBatch",
    "ExportError",
    "ExportItem",
    "ExportTargetExists",
    "HostileXml",
    "InvalidExportBatch",
    "Organisation",
    "PackageFileMismatch",
    "Retention",
    "TransferListInvalid",
    "UnknownExportFormat",
    "export_batch",
]
