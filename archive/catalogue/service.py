"""Catalogue use cases: search, read one item, download a package, export a year. Every read of an item or a
package leaves an audit record (who, when, which item, from where), public item or not, so the archive can always
answer "who has seen this"."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from anyio import to_thread
from sqlalchemy import select

from archive.catalogue.access import Scope, may_export, may_read, scope_of
from archive.catalogue.queries import item_view, search
from archive.catalogue.schemas import CatalogueQuery, ItemSummary, ItemView
from archive.export import ExportBatch, ExportItem, Organisation, Retention, export_batch
from archive.keeping.directory import county_archives
from archive.keeping.models import ArchiveItem, ArchivePackage, ItemStatus
from archive.keeping.store import PackageStore, StoredPackageDamaged
from oa.auth.principal import Principal
from oa.errors import Conflict, Forbidden, InvalidInput, NotFound
from oa.org.models import Unit
from oa.settings import Settings
from oa.uow import UnitOfWork

RETENTION_LABELS = {"Y": Retention.PERMANENT, "D30": Retention.THIRTY_YEARS, "D10": Retention.TEN_YEARS}


async def reader_scope(uow: UnitOfWork) -> tuple[Principal, Scope]:
    me = uow.actor
    if me is None:
        raise Forbidden("请先登录")
    dag = await county_archives(uow.session)
    return me, scope_of(me, dag.id if dag else None)


async def search_catalogue(uow: UnitOfWork, q: CatalogueQuery) -> tuple[list[ItemSummary], int]:
    _, scope = await reader_scope(uow)
    return await search(uow.session, scope, q)


async def readable_item(uow: UnitOfWork, item_id: int) -> ArchiveItem:
    _, scope = await reader_scope(uow)
    item = await uow.session.get(ArchiveItem, item_id)
    if item is None:
        raise NotFound(f"档案条目 {item_id} 不存在")
    if not may_read(scope, item.unit_id, item.status, item.public):
        # A refused read is recorded as well: attempts on 不公开 items are what an auditor looks for.
        uow.audit("archive.item.read", target_type="archive_item", target_id=item.id, unit_id=item.unit_id,
                  detail={"refused": True})
        await uow.commit()
        raise Forbidden("无权查阅此档案（不公开或不属于本单位）")
    return item


async def read_item(uow: UnitOfWork, item_id: int) -> ItemView:
    item = await readable_item(uow, item_id)
    view = await item_view(uow.session, item)
    uow.audit("archive.item.read", target_type="archive_item", target_id=item.id, unit_id=item.unit_id,
              detail={"archival_code": item.archival_code, "public": item.public})
    await uow.commit()
    return view


@dataclass(frozen=True)
class Download:
    path: Path
    file_name: str
    sha256: str


async def download_package(uow: UnitOfWork, settings: Settings, item_id: int, package_id: int | None) -> Download:
    item = await readable_item(uow, item_id)
    package = None
    if package_id is not None:
        package = await uow.session.get(ArchivePackage, package_id)
        if package is None or package.item_id != item.id:
            raise NotFound(f"档案条目 {item_id} 没有封装包 {package_id}")
    sha256, size = (package.sha256, package.size) if package else (item.package_sha256, item.package_size)
    try:
        path = await to_thread.run_sync(PackageStore(settings.data_dir).open_checked, sha256, size)
    except StoredPackageDamaged as exc:
        raise Conflict(f"{exc}；已拒绝下载，请联系档案员运行 oa archive audit") from exc
    uow.audit("archive.item.download", target_type="archive_item", target_id=item.id, unit_id=item.unit_id,
              detail={"sha256": sha256, "size": size, "public": item.public})
    await uow.commit()
    name = item.archival_code or item.file_number
    return Download(path, f"{name}.eep", sha256)


async def export_year(uow: UnitOfWork, settings: Settings, year: int, formats: list[str],
                      unit_code: str | None) -> Path:
    """A zip of the year's accepted items in the chosen formats; the caller sends it and removes its folder."""
    me = uow.actor
    if me is None:
        raise Forbidden("请先登录")
    dag = await county_archives(uow.session)
    unit = (await uow.session.execute(select(Unit).where(Unit.code == unit_code.upper()))).scalar_one_or_none() \
        if unit_code else await uow.session.get(Unit, me.unit_id)
    if unit is None:
        raise NotFound(f"单位 {unit_code} 不存在")
    if not may_export(me, dag.id if dag else None, unit.id):
        raise Forbidden("只有本单位档案员或县档案馆档案员可以导出")
    batch = await year_batch(uow, settings, unit, year, dag)
    folder = Path(tempfile.mkdtemp(prefix="oa-archive-export-"))

    def write() -> Path:
        export_batch(batch, folder / "out", formats)
        archive = folder / f"{batch.identifier}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted((folder / "out").rglob("*")):
                if path.is_file():
                    bundle.write(path, path.relative_to(folder / "out").as_posix())
        return archive

    try:
        archive = await to_thread.run_sync(write)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    uow.audit("archive.export", target_type="unit", target_id=unit.id, unit_id=unit.id,
              detail={"year": year, "formats": sorted(formats), "items": batch.item_count,
                      "bytes": batch.total_bytes, "batch": batch.identifier})
    await uow.commit()
    return archive


async def year_batch(uow: UnitOfWork, settings: Settings, unit: Unit, year: int, dag: Unit | None) -> ExportBatch:
    items = (await uow.session.execute(
        select(ArchiveItem).where(ArchiveItem.unit_id == unit.id, ArchiveItem.year == year,
                                  ArchiveItem.status == ItemStatus.ACCEPTED)
        .order_by(ArchiveItem.archival_code))).scalars().all()
    if not items:
        raise InvalidInput(f"{unit.name} {year} 年度没有已接收的档案")
    return build_batch(settings, unit, year, list(items), dag, uow.now)


def build_batch(settings: Settings, unit: Unit, year: int, items: list[ArchiveItem], dag: Unit | None,
                now: dt.datetime) -> ExportBatch:
    store = PackageStore(settings.data_dir)
    receiving = Organisation(dag.code, dag.name) if dag else Organisation(settings.node_id, settings.node_name)
    return ExportBatch(
        fonds_code=items[0].fonds, fonds_name=unit.name, year=year,
        transferring_unit=Organisation(unit.code, unit.name), receiving_archives=receiving, created_at=now,
        items=tuple(ExportItem(
            archival_code=item.archival_code or "", title=item.title, doc_number=item.doc_number,
            responsible=item.responsible, date=item.written_date, year=item.year,
            retention=RETENTION_LABELS[item.retention], unit_code=item.organisation, unit_name=unit.name,
            item_number=item.item_number or 0, page_count=None, package_path=store.path_of(item.package_sha256),
            package_size=item.package_size, package_sha256=item.package_sha256) for item in items))
