"""What the four checks need to know besides the package itself.

Filled by the caller (the lead's intake use case) from the database and configuration: the transfer
list entry for this item, the 档号 and 文号 already used, the archival format whitelist, the mandatory
metadata, and the outcome of the virus scan. Keeping it plain data is what keeps the checks pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.checks.antivirus import VirusScanOutcome
from archive.checks.formats import DEFAULT_WHITELIST, FileKind
from archive.checks.report import Stage
from archive.eep import namespaces as ns

# DA/T 46 elements every 文书 item must carry; 档号 joins them once the archive has assigned it.
DEFAULT_MANDATORY: tuple[str, ...] = (
    ns.AGGREGATION_LEVEL,
    ns.FONDS_NAME,
    ns.FILE_NUMBER,
    ns.TITLE,
    ns.RESPONSIBLE,
    ns.DATE,
    ns.DOCUMENT_TYPE,
    ns.CLASSIFICATION,
)


@dataclass(frozen=True)
class TransferListEntry:
    """One line of the transfer list (移交清单) as the sending unit declared it."""

    file_number: str
    document_count: int
    total_bytes: int
    attachment_names: tuple[str, ...] = ()
    package_sha256: str = ""


@dataclass(frozen=True)
class CheckContext:
    stage: Stage = Stage.ARCHIVING
    transfer_entry: TransferListEntry | None = None
    # 档号 and 文号 of *other* items already in the archive (this item's own must not be in them).
    used_archival_codes: frozenset[str] = frozenset()
    used_document_numbers: frozenset[str] = frozenset()
    format_whitelist: frozenset[FileKind] = DEFAULT_WHITELIST
    mandatory_fields: tuple[str, ...] = DEFAULT_MANDATORY
    virus_scan: VirusScanOutcome | None = None
    # An ordinary office network may not hold classified (涉密) documents unless deployed for it.
    allow_classified: bool = False
    max_title_length: int = 500

    @property
    def requires_archival_code(self) -> bool:
        return self.stage is Stage.TRANSFER
