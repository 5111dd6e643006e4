"""Reading the catalogue: search with the reader's scope applied in SQL, and the full view of one item.

Full text is a LIKE over the normalised `search_text` column (see `search_text.py`): the same statement on SQLite
and PostgreSQL. On a large PostgreSQL catalogue a pg_trgm GIN index on that column makes it fast without
changing the query (see docs/archive.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from archive.catalogue.access import Scope
from archive.catalogue.schemas import ArchiveHistoryOut, ArchivePackageOut, CatalogueQuery, ItemSummary, ItemView
from archive.catalogue.search_text import like_pattern
from archive.keeping.directory import names_of
from archive.keeping.models import ArchiveItem, ArchivePackage, ItemStatus
from oa.audit.models import AuditRecord
from oa.org.models import Unit


def _scoped(query: Select[Any], scope: Scope) -> Select[Any]:
    if scope.unit_ids is not None:
        query = query.where(ArchiveItem.unit_id.in_(scope.unit_ids))
    query = query.where(ArchiveItem.status.in_(scope.statuses))
    if scope.public_only:
        query = query.where(ArchiveItem.public.is_(True))
    return query


def _filtered(query: Select[Any], q: CatalogueQuery) -> Select[Any]:
    if q.q:
        query = query.where(ArchiveItem.search_text.like(like_pattern(q.q), escape="\\"))
    for column, value in ((ArchiveItem.title, q.title), (ArchiveItem.doc_number, q.doc_number),
                          (ArchiveItem.responsible, q.responsible), (ArchiveItem.archival_code, q.archival_code)):
        if value:
            escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(column.like(f"%{escaped}%", escape="\\"))
    if q.year is not None:
        query = query.where(ArchiveItem.year == q.year)
    if q.retention:
        query = query.where(ArchiveItem.retention == q.retention)
    if q.unit_code:
        query = query.where(Unit.code == q.unit_code.upper())
    if q.status:
        query = query.where(ArchiveItem.status == ItemStatus(q.status))
    return query


def summary(item: ArchiveItem, unit_code: str) -> ItemSummary:
    return ItemSummary(
        id=item.id, unit_id=item.unit_id, unit_code=unit_code, status=item.status.value, title=item.title,
        doc_number=item.doc_number, responsible=item.responsible, doc_type=item.doc_type, year=item.year,
        written_date=item.written_date, retention=item.retention, public=item.public,
        archival_code=item.archival_code, checks_passed=bool(item.check_report.get("passed")),
        reject_reasons=list(item.reject_reasons or []), transferred_at=item.transferred_at,
        decided_at=item.decided_at)


async def search(session: AsyncSession, scope: Scope, q: CatalogueQuery) -> tuple[list[ItemSummary], int]:
    base = _filtered(_scoped(select(ArchiveItem, Unit.code).join(Unit, Unit.id == ArchiveItem.unit_id), scope), q)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    rows = (await session.execute(
        base.order_by(ArchiveItem.year.desc(), ArchiveItem.archival_code, ArchiveItem.id.desc())
        .offset((q.page - 1) * q.page_size).limit(q.page_size))).tuples().all()
    return [summary(item, code) for item, code in rows], int(total)


async def item_view(session: AsyncSession, item: ArchiveItem) -> ItemView:
    unit_code = (await session.execute(select(Unit.code).where(Unit.id == item.unit_id))).scalar_one()
    packages = (await session.execute(select(ArchivePackage).where(ArchivePackage.item_id == item.id)
                                      .order_by(ArchivePackage.id))).scalars().all()
    history = (await session.execute(
        select(AuditRecord).where(AuditRecord.target_type == "archive_item",
                                  AuditRecord.target_id == str(item.id),
                                  AuditRecord.action.not_in(("archive.item.read", "archive.item.download")))
        .order_by(AuditRecord.id))).scalars().all()
    names = await names_of(session, [p.created_by_id for p in packages])
    return ItemView(
        **summary(item, unit_code).model_dump(),
        file_number=item.file_number, fonds=item.fonds, organisation=item.organisation,
        item_number=item.item_number, package_sha256=item.package_sha256, package_size=item.package_size,
        description=item.description, transfer_entry=item.transfer_entry, check_report=item.check_report,
        packages=[ArchivePackageOut(id=p.id, kind=p.kind.value, sha256=p.sha256, size=p.size, note=p.note,
                             created_by=names.get(p.created_by_id, str(p.created_by_id)), created_at=p.created_at)
                  for p in packages],
        history=[ArchiveHistoryOut(action=h.action, actor=h.actor_name, at=h.at, detail=h.detail) for h in history],
    )
