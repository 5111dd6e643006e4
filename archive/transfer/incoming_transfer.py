"""归档移交 of incoming documents (收文): once 办结, the unit's registrar turns one into a signed EEP package.

Same path as a dispatched 发文 (`service.py`): the incoming row is locked first, the package is built on a worker
thread in a scratch folder, signed with the unit's key, stored write-once and checked on arrival, then waits in
the archivist's queue. The item is keyed (source_kind=incoming, source_id=incoming id), unique in the database,
so a second transfer is refused and a rejected one is rebuilt by the same call.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

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
from archive.transfer.facts import FORMAT_OF_MEDIA_TYPE, year_bounds
from archive.transfer.final_copy import china_date
from archive.transfer.incoming_package import (
    IncomingFacts,
    IncomingStep,
    ReceivedFile,
    package_input,
    processing_form_xml,
    render_received,
    sender_copy,
)
from archive.transfer.package_input import PersonFact, description_record, transfer_entry
from archive.transfer.registrar import STATUS_LABELS, registrar
from docflow.incoming.models import (
    InboxMessage,
    IncomingAction,
    IncomingAttachment,
    IncomingDocument,
    IncomingReader,
    Source,
)
from docflow.incoming.rules import State
from docflow.render.errors import RenderError
from docflow.render.fonts import FontConfig
from docflow.render.pdf import render_pdf
from docflow.render.pdfa import with_unfiltered_xmp
from oa.errors import Conflict, NotFound
from oa.org.models import Person, Unit
from oa.settings import Settings
from oa.uow import UnitOfWork


def incoming_written_date(incoming: IncomingDocument) -> dt.date:
    """成文日期 as the sender declared it; a paper document without one counts from its day of receipt."""
    written = (incoming.elements or {}).get("written_on")
    if written:
        return dt.date.fromisoformat(str(written))
    return china_date(incoming.received_at) or dt.date.today()


async def transfer_incoming(uow: UnitOfWork, settings: Settings, incoming_id: int) -> ArchiveItem:
    me = registrar(uow)
    incoming = (await uow.session.execute(
        select(IncomingDocument).where(IncomingDocument.id == incoming_id).with_for_update())).scalar_one_or_none()
    if incoming is None:
        raise NotFound(f"收文 {incoming_id} 不存在")
    me.require_unit(incoming.unit_id)
    if incoming.state is not State.CLOSED:
        raise Conflict(f"收文《{incoming.title}》尚未办结，办结后才能归档")
    return await transfer_incoming_row(uow, settings, incoming)


async def closed_incoming_of_year(uow: UnitOfWork, unit_id: int, year: int) -> list[IncomingDocument]:
    """The unit's 办结 收文 written in `year` and not yet with the archive, locked, oldest first."""
    taken = select(ArchiveItem.source_id).where(ArchiveItem.source_kind == SourceKind.INCOMING,
                                                ArchiveItem.status != ItemStatus.REJECTED)
    rows = (await uow.session.execute(
        select(IncomingDocument).where(IncomingDocument.unit_id == unit_id, IncomingDocument.state == State.CLOSED,
                                       # received no earlier than the year it was written in
                                       IncomingDocument.received_at >= year_bounds(year)[0],
                                       IncomingDocument.id.not_in(taken))
        .order_by(IncomingDocument.id).with_for_update())).scalars().all()
    return [row for row in rows if incoming_written_date(row).year == year]


async def _facts(uow: UnitOfWork, incoming: IncomingDocument, unit: Unit, folder: Path, archived_by: int,
                 ) -> tuple[IncomingFacts, list[dict[str, Any]], dict[Path, bytes]]:
    session = uow.session
    steps = (await session.execute(select(IncomingAction).where(IncomingAction.incoming_id == incoming.id)
                                   .order_by(IncomingAction.at, IncomingAction.id))).scalars().all()
    readers = (await session.execute(select(IncomingReader).where(IncomingReader.incoming_id == incoming.id)
                                     .order_by(IncomingReader.sent_at, IncomingReader.person_id))).scalars().all()
    attachments = (await session.execute(select(IncomingAttachment)
                                         .where(IncomingAttachment.incoming_id == incoming.id)
                                         .order_by(IncomingAttachment.position))).scalars().all()
    ids = {s.actor_id for s in steps if s.actor_id is not None} | {r.person_id for r in readers} | {archived_by}
    people = {p.id: PersonFact(p.id, p.name, p.position or "") for p in (await session.execute(
        select(Person).where(Person.id.in_(ids)))).scalars()}
    contents: dict[Path, bytes] = {}
    files = []
    for a in attachments:
        path = folder / f"attachment-{a.position}"
        contents[path] = a.content
        files.append(ReceivedFile(a.position, a.filename, FORMAT_OF_MEDIA_TYPE.get(a.media_type, a.media_type),
                                  a.media_type, path))
    elements = incoming.elements or {}
    year = incoming.register_year or incoming.received_at.year
    facts = IncomingFacts(
        file_number=f"SW-{unit.code}-{year}-{incoming.id:06d}",
        incoming_id=incoming.id,
        sender_identifier=str(elements.get("identifier") or ""),
        unit_code=unit.code,
        unit_name=unit.name,
        sender_name=incoming.sender_name,
        title=incoming.title,
        doc_number=incoming.doc_number,
        doc_type=incoming.doc_type,
        urgency=incoming.urgency or "",
        written_date=incoming_written_date(incoming),
        register_number=incoming.register_number or "",
        main_recipients=tuple(str(n) for n in elements.get("main_recipients") or ()),
        copy_recipients=tuple(str(n) for n in elements.get("copy_to") or ()),
        classification=str(elements.get("classification") or "公开"),
        public=str(elements.get("publication_level") or "") == "公开",
        proposal=incoming.proposal,
        instruction=incoming.instruction,
        steps=tuple(IncomingStep(s.action, s.actor_id, s.from_state, s.to_state, s.note, s.at) for s in steps),
        people=people,
        files=tuple(files),
        body_text="\n".join(str(b.get("text", "")) for b in incoming.body or ()),
    )
    reader_rows = [{"person_id": r.person_id, "sent_at": r.sent_at.isoformat(),
                    "read_at": r.read_at.isoformat() if r.read_at else ""} for r in readers]
    return facts, reader_rows, contents


async def _envelope(uow: UnitOfWork, incoming: IncomingDocument) -> bytes | None:
    if incoming.inbox_message_id is None:
        return None  # registered by hand from paper: there is no message to keep
    message = await uow.session.get(InboxMessage, incoming.inbox_message_id)
    return bytes(message.body) if message is not None else None


def _main_copy(incoming: IncomingDocument, facts: IncomingFacts, contents: dict[Path, bytes],
               environ: dict[str, str]) -> tuple[bytes, ReceivedFile | None]:
    """The sender's copy when it came with the message, else one rendered from the received elements."""
    carried = sender_copy(facts.files, facts.sender_identifier, paper=incoming.source is Source.MANUAL)
    if carried is not None:
        return contents[carried.path], carried
    titles = tuple(f.filename.rsplit(".", 1)[0] for f in facts.files)
    document = render_received(incoming.elements or {}, incoming.body or (), title=incoming.title,
                               doc_type=incoming.doc_type, doc_number=incoming.doc_number,
                               sender_name=incoming.sender_name, written=facts.written_date,
                               attachment_titles=titles)
    try:
        return render_pdf(document, FontConfig.from_environ(environ)), None
    except RenderError as exc:
        # A 正式文本 needs what the layout standard asks (文号, a legal 文种 …); a paper 收文 registered without
        # them and without a PDF scan cannot be given one here, and a 预览稿 is no archival copy.
        raise Conflict(f"收文《{incoming.title}》无法生成归档正式文本：{exc}。纸质来文请在登记时附 PDF 扫描件") from exc


async def transfer_incoming_row(uow: UnitOfWork, settings: Settings, incoming: IncomingDocument) -> ArchiveItem:
    me = registrar(uow)
    session = uow.session
    existing = (await session.execute(
        select(ArchiveItem).where(ArchiveItem.source_kind == SourceKind.INCOMING,
                                  ArchiveItem.source_id == incoming.id).with_for_update())).scalar_one_or_none()
    if existing is not None and existing.status is not ItemStatus.REJECTED:
        raise Conflict(f"收文《{incoming.title}》已移交（{STATUS_LABELS[existing.status]}），不能重复移交")
    unit = await session.get(Unit, incoming.unit_id)
    assert unit is not None
    store = PackageStore(settings.data_dir)
    folder = store.scratch_path(suffix="")
    facts, readers, contents = await _facts(uow, incoming, unit, folder, me.person_id)
    envelope = await _envelope(uow, incoming)
    environ = {**settings.extra}
    signer = await to_thread.run_sync(unit_signer, settings.keys_dir, unit.code, unit.name)
    try:
        main_pdf, main_file = await to_thread.run_sync(lambda: _main_copy(incoming, facts, contents, environ))
        main_pdf = await to_thread.run_sync(with_unfiltered_xmp, main_pdf)
        form = processing_form_xml(facts, readers)
        built, pkg, entry = await to_thread.run_sync(
            lambda: _build(folder, facts, contents, main_pdf, main_file, form, envelope, signer, me.person_id, uow.now))
        stored, outcome = await store_and_check(
            uow, store, built, await arrival_facts(uow, existing.id if existing else None, entry, settings))
    finally:
        await to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))
    table = load_retention_table(settings.extra)
    item = existing or ArchiveItem(unit_id=unit.id, source_kind=SourceKind.INCOMING, source_id=incoming.id)
    item.file_number = facts.file_number
    item.title = facts.title
    item.doc_number = facts.doc_number
    item.responsible = facts.sender_name
    item.doc_type = facts.doc_type
    item.written_date = facts.written_date
    item.year = facts.written_date.year
    item.retention = table.retention_for(unit.code, facts.doc_type).value
    item.public = facts.public
    item.fonds = table.fonds_for(unit.code, unit.id)
    item.organisation = unit.code
    item.description = description_record(pkg.file_entity)
    item.search_text = search_text([facts.title, facts.doc_number or "", facts.sender_name, facts.register_number,
                                    facts.body_text])
    return await record_transfer(uow, item, resent=existing is not None, stored=stored, outcome=outcome,
                                 entry=entry, detail={"incoming_id": incoming.id, "title": incoming.title})


def _build(folder: Path, facts: IncomingFacts, contents: dict[Path, bytes], main_pdf: bytes,
           main_file: ReceivedFile | None, form: bytes, envelope: bytes | None, signer: PackageSigner,
           archived_by: int, now: dt.datetime) -> tuple[Path, PackageInput, TransferListEntry]:
    folder.mkdir(mode=0o700)
    for path, content in contents.items():
        path.write_bytes(content)
    main_path, form_path, out_path = folder / "main.pdf", folder / "form.xml", folder / "package.eep"
    main_path.write_bytes(main_pdf)
    form_path.write_bytes(form)
    envelope_path: Path | None = None
    if envelope is not None:
        envelope_path = folder / "envelope.xml"
        envelope_path.write_bytes(envelope)
    pkg = package_input(facts, main_path, form_path, envelope_path, main_file=main_file, archived_by=archived_by,
                        archived_at=now)
    with out_path.open("wb") as out:
        result = build_package(pkg, out, signer)
    sizes = {document.identifier: document.size for document in result.documents}
    return out_path, pkg, transfer_entry(pkg, sizes)

