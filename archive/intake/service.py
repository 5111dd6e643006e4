"""Intake use cases for the archivist (档案员) of the unit: accept, reject, correct metadata, receive an upload.

Who takes intake: the unit's own archivist (机关档案室). The unit's records are the unit's 全宗; the county
archives (县档案馆, unit DAG) receive them later, a year at a time, through the export. Every state change here
locks the item row first and checks the expected status under the lock, so a double click or two archivists
acting at once give one decision, never two.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from anyio import to_thread
from sqlalchemy import select

from archive.catalogue.search_text import search_text
from archive.checks import TransferListEntry
from archive.checks.archival_code import ArchivalClass, ArchivalCodeError, RetentionPeriod
from archive.eep import namespaces as ns
from archive.eep.builder import BuildError
from archive.eep.extract import PackageRejected
from archive.eep.lock import LockError, apply_lock_signature
from archive.eep.model import BusinessEntity, MetadataRevision
from archive.eep.revision import build_revision
from archive.eep.verify import verify_package
from archive.intake.arrival import arrival_facts, file_in_queue, store_and_check, tell_archivists
from archive.intake.arrival_checks import refusal_reasons
from archive.intake.numbering import CATEGORY_DOCUMENTS, take_archival_code
from archive.keeping.directory import holders_of
from archive.keeping.keys import archive_signer
from archive.keeping.models import ArchiveItem, ArchivePackage, ItemStatus, PackageKind, SourceKind
from archive.keeping.retention import load_retention_table
from archive.keeping.store import PackageStore, StoredPackage, StoredPackageDamaged
from archive.transfer.package_input import ARCHIVE_NAME, file_entity_from_record
from archive.transfer.service import STATUS_LABELS, registrar
from oa.auth.principal import Principal
from oa.errors import Conflict, InvalidInput, NotFound
from oa.org.models import Unit
from oa.org.roles import Role
from oa.settings import Settings
from oa.uow import UnitOfWork


def archivist(uow: UnitOfWork) -> Principal:
    me = uow.actor
    if me is None:
        raise InvalidInput("接收须由登录的档案员办理")
    me.require(Role.ARCHIVIST)
    return me


async def locked_item(uow: UnitOfWork, item_id: int, expected: ItemStatus) -> ArchiveItem:
    item = (await uow.session.execute(
        select(ArchiveItem).where(ArchiveItem.id == item_id).with_for_update())).scalar_one_or_none()
    if item is None:
        raise NotFound(f"档案条目 {item_id} 不存在")
    archivist(uow).require_unit(item.unit_id)
    if item.status is not expected:
        raise Conflict(f"《{item.title}》当前为“{STATUS_LABELS[item.status]}”，不能办理此操作")
    return item


def _publish_locked(store: PackageStore, source: Path, settings: Settings) -> StoredPackage:
    built = store.scratch_path()
    try:
        apply_lock_signature(source, built, archive_signer(settings.keys_dir, ARCHIVE_NAME))
        return store.publish(built)
    finally:
        built.unlink(missing_ok=True)


async def accept(uow: UnitOfWork, settings: Settings, item_id: int, retention: str | None = None) -> ArchiveItem:
    me = archivist(uow)
    item = await locked_item(uow, item_id, ItemStatus.TRANSFERRED)
    if not item.check_report.get("passed"):
        failed = [f"{f['code']} {f['title']}：{f['explanation']}" for f in item.check_report.get("findings", [])
                  if f.get("result") == "fail"]
        raise Conflict("四性检测未通过，只能退回：" + ("；".join(failed) or "封装包无法读取"))
    try:
        period = RetentionPeriod(retention or item.retention)
    except ValueError:
        raise InvalidInput(f"保管期限 {retention!r} 应为 Y（永久）、D30（定期30年）或 D10（定期10年）") from None
    store = PackageStore(settings.data_dir)
    try:
        source = await to_thread.run_sync(store.open_checked, item.package_sha256, item.package_size)
        locked = await to_thread.run_sync(_publish_locked, store, source, settings)
    except (StoredPackageDamaged, PackageRejected, LockError) as exc:
        raise Conflict(f"封装包不能锁定：{exc}") from exc
    # The 件号 is taken last, so the counter's row lock is held only for the rest of this short transaction.
    try:
        code = await take_archival_code(uow.session, ArchivalClass(
            item.fonds, CATEGORY_DOCUMENTS, item.year, period, item.organisation))
    except ArchivalCodeError as exc:
        raise Conflict(str(exc)) from exc
    before = item.package_sha256
    item.status, item.retention, item.version = ItemStatus.ACCEPTED, period.value, item.version + 1
    item.archival_code, item.item_number = str(code), code.item
    item.package_sha256, item.package_size = locked.sha256, locked.size
    item.decided_by_id, item.decided_at = me.person_id, uow.now
    uow.session.add(ArchivePackage(item_id=item.id, kind=PackageKind.LOCKED, sha256=locked.sha256, size=locked.size,
                                   note=f"锁定签名，档号 {code}", created_by_id=me.person_id, created_at=uow.now))
    uow.audit("archive.item.accept", target_type="archive_item", target_id=item.id, unit_id=item.unit_id,
              detail={"archival_code": str(code), "retention": period.value, "transferred_sha256": before,
                      "locked_sha256": locked.sha256})
    uow.notify([item.transferred_by_id], "archive.item.accepted",
               {"item_id": item.id, "title": item.title, "archival_code": str(code)})
    return item


async def reject(uow: UnitOfWork, item_id: int, reasons: list[str]) -> ArchiveItem:
    me = archivist(uow)
    cleaned = [reason.strip() for reason in reasons if reason.strip()]
    if not cleaned:
        raise InvalidInput("退回须写明理由，移交单位据此更正后重新移交")
    item = await locked_item(uow, item_id, ItemStatus.TRANSFERRED)
    item.status, item.reject_reasons, item.version = ItemStatus.REJECTED, cleaned, item.version + 1
    item.decided_by_id, item.decided_at = me.person_id, uow.now
    uow.audit("archive.item.reject", target_type="archive_item", target_id=item.id, unit_id=item.unit_id,
              detail={"reasons": cleaned, "package_sha256": item.package_sha256})
    registrars = await holders_of(uow.session, item.unit_id, Role.REGISTRAR)
    uow.notify(sorted({item.transferred_by_id, *registrars}), "archive.item.rejected",
               {"item_id": item.id, "title": item.title, "reasons": cleaned})
    return item


async def correct(uow: UnitOfWork, settings: Settings, item_id: int, declaration: str,
                  changes: dict[str, str]) -> ArchiveItem:
    """A metadata correction: a 修改型 package, signed by the archive, that keeps the original inside."""
    me = archivist(uow)
    if not declaration.strip():
        raise InvalidInput("修改须写明修改声明（改了什么、依据什么）")
    item = await locked_item(uow, item_id, ItemStatus.ACCEPTED)
    record = dict(item.description)
    for name, value in changes.items():
        if name not in {"title", "responsible", "document_number"} or not value.strip():
            raise InvalidInput(f"不能修改 {name}，或新值为空")
        record[name] = [v for v in value.split("、") if v] if name == "responsible" else value.strip()
    corrected = file_entity_from_record(record, item.archival_code or "")
    revision = MetadataRevision(declaration.strip(), corrected, ARCHIVE_NAME, uow.now, business=(
        BusinessEntity("R-1", f"P-{me.person_id}", record["file_number"], "修改元数据", uow.now,
                       description=declaration.strip()),))
    store = PackageStore(settings.data_dir)

    def build() -> StoredPackage:
        source = store.open_checked(item.package_sha256, item.package_size)
        built = store.scratch_path()
        try:
            with built.open("wb") as out:
                build_revision(source, revision, out, archive_signer(settings.keys_dir, ARCHIVE_NAME))
            return store.publish(built)
        finally:
            built.unlink(missing_ok=True)

    try:
        stored = await to_thread.run_sync(build)
    except (StoredPackageDamaged, BuildError) as exc:
        raise Conflict(f"不能生成修改型封装包：{exc}") from exc
    before = {"title": item.title, "responsible": item.responsible, "doc_number": item.doc_number}
    item.description, item.title = record, record["title"]
    item.responsible, item.doc_number = "、".join(record["responsible"]), record["document_number"] or None
    body = item.search_text.split("\x1f")[3:]
    item.search_text = search_text([item.title, item.doc_number or "", item.responsible, *body])
    item.package_sha256, item.package_size, item.version = stored.sha256, stored.size, item.version + 1
    uow.session.add(ArchivePackage(item_id=item.id, kind=PackageKind.REVISION, sha256=stored.sha256, size=stored.size,
                                   note=declaration.strip()[:500], created_by_id=me.person_id, created_at=uow.now))
    uow.audit("archive.item.correct", target_type="archive_item", target_id=item.id, unit_id=item.unit_id,
              detail={"before": before, "after": {"title": item.title, "responsible": item.responsible,
                                                  "doc_number": item.doc_number},
                      "declaration": declaration.strip(), "revision_sha256": stored.sha256})
    return item


async def receive_upload(uow: UnitOfWork, settings: Settings, uploaded: Path) -> ArchiveItem:
    """A package built elsewhere, uploaded by the registrar: refused with the reasons unless it verifies."""
    me = registrar(uow)
    report = await to_thread.run_sync(lambda: verify_package(uploaded))
    if not report.ok or report.metadata is None:
        raise InvalidInput("封装包未通过校验，未保存：" + "；".join(refusal_reasons(report)))
    fields = report.metadata.fields
    unit = await uow.session.get(Unit, me.unit_id)
    assert unit is not None
    title = fields.get(ns.TITLE) or ""
    try:
        written = dt.date.fromisoformat((fields.get(ns.DATE) or "")[:10])
    except ValueError:
        raise InvalidInput("封装包的日期元素不是有效日期，未保存") from None
    entry = TransferListEntry(fields.get(ns.FILE_NUMBER) or "", len(report.metadata.documents),
                              sum(d.actual_size for d in report.metadata.documents))
    stored, outcome = await store_and_check(uow, PackageStore(settings.data_dir), uploaded,
                                            await arrival_facts(uow, None, entry, settings))
    table = load_retention_table(settings.extra)
    doc_type = fields.get(ns.DOCUMENT_TYPE) or ""
    responsible = "、".join(report.metadata.responsible) or unit.name
    item = ArchiveItem(
        unit_id=unit.id, source_kind=SourceKind.UPLOAD, source_id=None, status=ItemStatus.TRANSFERRED,
        file_number=entry.file_number, title=title, doc_number=fields.get(ns.DOCUMENT_NUMBER) or None,
        responsible=responsible, doc_type=doc_type[:8], written_date=written, year=written.year,
        retention=table.retention_for(unit.code, doc_type).value,
        public=(fields.get(ns.ACCESS_CONTROL) or "") == "开放", fonds=table.fonds_for(unit.code, unit.id),
        organisation=unit.code, package_sha256=stored.sha256, package_size=stored.size,
        description=_record_from_fields(fields, report.metadata.responsible, report.metadata.recipients),
        transfer_entry={}, check_report={}, reject_reasons=[],
        search_text=search_text([title, fields.get(ns.DOCUMENT_NUMBER) or "", responsible]),
        transferred_by_id=me.person_id, transferred_at=uow.now)
    uow.session.add(item)
    await uow.session.flush()
    file_in_queue(uow, item, stored, outcome, entry)
    uow.audit("archive.item.upload", target_type="archive_item", target_id=item.id, unit_id=unit.id,
              detail={"title": title, "package_sha256": stored.sha256, "checks_passed": outcome.checks.passed})
    await tell_archivists(uow, item)
    return item


def _record_from_fields(fields: dict[str, str | None], responsible: tuple[str, ...],
                        recipients: dict[str, tuple[str, ...]]) -> dict[str, object]:
    return {
        "file_number": fields.get(ns.FILE_NUMBER) or "", "fonds_name": fields.get(ns.FONDS_NAME) or "",
        "title": fields.get(ns.TITLE) or "", "document_number": fields.get(ns.DOCUMENT_NUMBER) or "",
        "responsible": list(responsible), "date": (fields.get(ns.DATE) or "")[:10],
        "document_type": fields.get(ns.DOCUMENT_TYPE) or "", "urgency": fields.get(ns.URGENCY) or "",
        "primary_recipients": list(recipients.get(ns.PRIMARY_RECIPIENT, ())),
        "copy_recipients": list(recipients.get(ns.COPY_RECIPIENT, ())),
        "classification": fields.get(ns.CLASSIFICATION) or "公开", "storage_location": "",
        "access_control": fields.get(ns.ACCESS_CONTROL) or "控制",
    }


