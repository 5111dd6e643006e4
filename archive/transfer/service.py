"""归档移交 use cases for the registrar (文书) of a unit: one dispatched document, or every one of a year
(the year's 办结 收文 included; one incoming document alone goes through `incoming_transfer`).

Each document becomes one 原始型 EEP package, built on a worker thread into a scratch file (streaming: flat memory
whatever the attachments weigh), signed with the unit's key, then stored write-once and checked on arrival. A
rejected item is transferred again by the same call (the package is rebuilt; the rejected one stays on record).
The document row is locked first, so two registrars transferring the same document run one after the other and
the second is told it is already done; the (source_kind, source_id) unique constraint backs this up.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from anyio import to_thread
from sqlalchemy import select

from archive.catalogue.search_text import search_text
from archive.checks import TransferListEntry
from archive.eep.builder import build_package
from archive.eep.model import PackageInput
from archive.eep.signing import PackageSigner
from archive.intake.arrival import arrival_facts, record_transfer, store_and_check
from archive.keeping.keys import unit_signer
from archive.keeping.models import ArchiveItem, ItemStatus, SourceKind
from archive.keeping.retention import load_retention_table
from archive.keeping.store import PackageStore
from archive.transfer.facts import document_facts, signer_names, year_bounds
from archive.transfer.final_copy import render_final_copy, stored_final_copy, written_date
from archive.transfer.incoming_transfer import closed_incoming_of_year, transfer_incoming_row
from archive.transfer.package_input import (
    DocumentFacts,
    description_record,
    package_input,
    processing_form_xml,
    transfer_entry,
)

# Re-exported: archive.intake takes them from here.
from archive.transfer.registrar import STATUS_LABELS as STATUS_LABELS
from archive.transfer.registrar import registrar as registrar
from docflow.attachments.blobs import BlobStore
from docflow.outgoing.models import Document
from docflow.render.pdfa import with_unfiltered_xmp
from docflow.rules.workflow_state import DocState
from oa.errors import Conflict, InvalidInput, NotFound
from oa.org.models import Unit
from oa.settings import Settings
from oa.uow import UnitOfWork


async def transfer_document(uow: UnitOfWork, settings: Settings, document_id: int) -> ArchiveItem:
    me = registrar(uow)
    document = (await uow.session.execute(
        select(Document).where(Document.id == document_id).with_for_update())).scalar_one_or_none()
    if document is None:
        raise NotFound(f"公文 {document_id} 不存在")
    me.require_unit(document.unit_id)
    if document.state is not DocState.DISPATCHED:
        raise Conflict(f"《{document.title}》尚未核发，办理完毕（已核发）的公文才能归档")
    return await _transfer(uow, settings, document)


async def transfer_year(uow: UnitOfWork, settings: Settings, year: int) -> list[ArchiveItem]:
    """Every dispatched document and every 办结 收文 of the registrar's unit written in `year` and not yet with
    the archive (发文 first, then 收文, each oldest first)."""
    me = registrar(uow)
    start, end = year_bounds(year)
    taken = select(ArchiveItem.source_id).where(ArchiveItem.source_kind == SourceKind.OUTGOING,
                                                ArchiveItem.status != ItemStatus.REJECTED)
    documents = (await uow.session.execute(
        select(Document).where(Document.unit_id == me.unit_id, Document.state == DocState.DISPATCHED,
                               Document.dispatched_at >= start, Document.dispatched_at < end,
                               Document.id.not_in(taken))
        .order_by(Document.id).with_for_update())).scalars().all()
    chosen = [d for d in documents if written_date(d).year == year]
    received = await closed_incoming_of_year(uow, me.unit_id, year)
    if not chosen and not received:
        raise InvalidInput(f"{year} 年度没有待归档的已核发公文或已办结收文")
    items = [await _transfer(uow, settings, document) for document in chosen]
    return items + [await transfer_incoming_row(uow, settings, incoming) for incoming in received]


async def _transfer(uow: UnitOfWork, settings: Settings, document: Document) -> ArchiveItem:
    me = registrar(uow)
    session = uow.session
    existing = (await session.execute(
        select(ArchiveItem).where(ArchiveItem.source_kind == SourceKind.OUTGOING,
                                  ArchiveItem.source_id == document.id).with_for_update())).scalar_one_or_none()
    if existing is not None and existing.status is not ItemStatus.REJECTED:
        raise Conflict(f"《{document.title}》已移交（{STATUS_LABELS[existing.status]}），不能重复移交")
    unit = await session.get(Unit, document.unit_id)
    assert unit is not None
    facts, tasks = await document_facts(session, document, unit, BlobStore(settings.data_dir), me.person_id)
    main_pdf = await stored_final_copy(session, document.id, settings.data_dir)
    if main_pdf is None:
        names, titles = signer_names(document, facts.people), tuple(a.title for a in facts.attachments)
        main_pdf = await to_thread.run_sync(lambda: render_final_copy(document, names, titles, settings.extra))
    main_pdf = await to_thread.run_sync(with_unfiltered_xmp, main_pdf)
    signer = await to_thread.run_sync(unit_signer, settings.keys_dir, unit.code, unit.name)
    store = PackageStore(settings.data_dir)
    folder = store.scratch_path(suffix="")
    try:
        form = processing_form_xml(facts, tasks)
        built, pkg, entry = await to_thread.run_sync(
            lambda: _build(folder, facts, main_pdf, form, signer, me.person_id, uow))
        stored, outcome = await store_and_check(
            uow, store, built, await arrival_facts(uow, existing.id if existing else None, entry, settings))
    finally:
        await to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))
    table = load_retention_table(settings.extra)
    item = existing or ArchiveItem(unit_id=unit.id, source_kind=SourceKind.OUTGOING, source_id=document.id)
    item.file_number = facts.identifier
    item.title = facts.title
    item.doc_number = facts.doc_number
    item.responsible = "、".join(facts.responsible)
    item.doc_type = facts.doc_type
    item.written_date = facts.written_date
    item.year = facts.written_date.year
    item.retention = table.retention_for(unit.code, facts.doc_type).value
    item.public = facts.public
    item.fonds = table.fonds_for(unit.code, unit.id)
    item.organisation = unit.code
    item.description = description_record(pkg.file_entity)
    item.search_text = search_text(_searchable(facts))
    return await record_transfer(uow, item, resent=existing is not None, stored=stored, outcome=outcome,
                                 entry=entry, detail={"document_id": document.id, "title": document.title})


def _searchable(facts: DocumentFacts) -> list[str]:
    return [facts.title, facts.doc_number or "", "、".join(facts.responsible), facts.body_text]


def _build(folder: Path, facts: DocumentFacts, main_pdf: bytes, form: bytes, signer: PackageSigner,
           archived_by: int, uow: UnitOfWork) -> tuple[Path, PackageInput, TransferListEntry]:
    folder.mkdir(mode=0o700)
    main_path, form_path, out_path = folder / "main.pdf", folder / "form.xml", folder / "package.eep"
    main_path.write_bytes(main_pdf)
    form_path.write_bytes(form)
    pkg = package_input(facts, main_path, form_path, archived_by=archived_by, archived_at=uow.now)
    with out_path.open("wb") as out:
        result = build_package(pkg, out, signer)
    sizes = {document.identifier: document.size for document in result.documents}
    return out_path, pkg, transfer_entry(pkg, sizes)
