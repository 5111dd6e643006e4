"""A package arrives at the archive: store it write-once, run the four checks, and file the item in the queue.

Shared by the registrar's transfer of a document and the upload of a package built elsewhere. The package file is
published before the transaction commits; if the commit then fails, the stored file is an orphan that no row
names, harmless (content-addressed, read-only) and ignored by the fixity audit, which checks what the catalogue
records.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from anyio import to_thread
from sqlalchemy import select

from archive.checks import TransferListEntry
from archive.checks.formats import accepted_formats
from archive.intake.arrival_checks import ArrivalFacts, ArrivalOutcome, check_arrival
from archive.keeping.directory import holders_of
from archive.keeping.models import ArchiveItem, ArchivePackage, ItemStatus, PackageKind
from archive.keeping.store import PackageStore, StoredPackage
from oa.org.roles import Role
from oa.settings import Settings
from oa.uow import UnitOfWork


async def arrival_facts(uow: UnitOfWork, item_id: int | None, entry: TransferListEntry | None,
                        settings: Settings) -> ArrivalFacts:
    """档号 and 文号 of every *other* item still in the archive's hands (rejected ones are gone back to the unit),
    and the formats this archive accepts (`OA_ARCHIVE_FORMATS`)."""
    query = select(ArchiveItem.archival_code, ArchiveItem.doc_number).where(
        ArchiveItem.status != ItemStatus.REJECTED)
    if item_id is not None:
        query = query.where(ArchiveItem.id != item_id)
    rows = (await uow.session.execute(query)).tuples().all()
    return ArrivalFacts(entry, frozenset(code for code, _ in rows if code),
                        frozenset(number for _, number in rows if number), accepted_formats(settings.extra))


async def store_and_check(uow: UnitOfWork, store: PackageStore, built: Path, facts: ArrivalFacts
                          ) -> tuple[StoredPackage, ArrivalOutcome]:
    stored = await to_thread.run_sync(store.publish, built)
    if facts.transfer_entry is not None and not facts.transfer_entry.package_sha256:
        # The unit declares the digest of what it sent; the check compares it with what arrived.
        facts = dataclasses.replace(
            facts, transfer_entry=dataclasses.replace(facts.transfer_entry, package_sha256=stored.sha256))
    outcome = await to_thread.run_sync(lambda: check_arrival(stored.path, facts, checked_at=uow.now))
    return stored, outcome


def entry_record(entry: TransferListEntry, sha256: str) -> dict[str, Any]:
    return {"file_number": entry.file_number, "document_count": entry.document_count,
            "total_bytes": entry.total_bytes, "attachment_names": list(entry.attachment_names),
            "package_sha256": entry.package_sha256 or sha256}


def file_in_queue(uow: UnitOfWork, item: ArchiveItem, stored: StoredPackage, outcome: ArrivalOutcome,
                  entry: TransferListEntry) -> None:
    """Put the item (new or resent) into the archivist's queue with this package and its report."""
    me = uow.actor
    assert me is not None
    item.status = ItemStatus.TRANSFERRED
    item.package_sha256 = stored.sha256
    item.package_size = stored.size
    item.transfer_entry = entry_record(entry, stored.sha256)
    item.check_report = {"verify": outcome.verify.to_dict(), **outcome.checks.to_dict()}
    item.reject_reasons = []
    item.transferred_by_id = me.person_id
    item.transferred_at = uow.now
    item.decided_by_id = None
    item.decided_at = None
    # The item row must have its id already (flushed by the caller).
    uow.session.add(ArchivePackage(item_id=item.id, kind=PackageKind.TRANSFERRED, sha256=stored.sha256,
                                   size=stored.size, created_by_id=me.person_id, created_at=uow.now))


async def tell_archivists(uow: UnitOfWork, item: ArchiveItem) -> None:
    archivists = await holders_of(uow.session, item.unit_id, Role.ARCHIVIST)
    uow.notify(archivists, "archive.item.transferred",
               {"item_id": item.id, "title": item.title, "passed": bool(item.check_report.get("passed"))})


async def record_transfer(uow: UnitOfWork, item: ArchiveItem, *, resent: bool, stored: StoredPackage,
                          outcome: ArrivalOutcome, entry: TransferListEntry, detail: dict[str, Any]) -> ArchiveItem:
    """The end of every transfer, whatever its source: a new item enters the queue (a resent one takes its next
    version), its package and report are filed, the transfer is audited and the archivists are told."""
    me = uow.actor
    assert me is not None
    if not resent:
        item.status, item.package_sha256, item.package_size = ItemStatus.TRANSFERRED, stored.sha256, stored.size
        item.transfer_entry, item.check_report, item.reject_reasons = {}, {}, []
        item.transferred_by_id, item.transferred_at = me.person_id, uow.now
        uow.session.add(item)
    else:
        item.version += 1
    await uow.session.flush()
    file_in_queue(uow, item, stored, outcome, entry)
    uow.audit("archive.item.transfer", target_type="archive_item", target_id=item.id, unit_id=item.unit_id,
              detail={**detail, "package_sha256": stored.sha256, "resent": resent,
                      "checks_passed": outcome.checks.passed})
    await tell_archivists(uow, item)
    return item
