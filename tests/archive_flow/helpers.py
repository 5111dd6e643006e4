"""Helpers for the archive tests: a notice driven to 核发 through the API, transfer and intake calls, and reading
what the archive stored straight from the database and the data directory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from archive.keeping.models import ArchiveItem, ArchivePackage
from oa.audit.models import AuditRecord
from oa.notify.models import NotificationEvent
from tests.docflow.helpers import act, notice, person_id
from tests.docflow_attachments.helpers import upload

DeskFn = Callable[[str], Awaitable[Any]]


async def dispatched_notice(desk: DeskFn, title: str = "关于做好2026年防汛防台工作的通知", *,
                            attachments: tuple[tuple[str, bytes], ...] = (), **overrides: Any) -> int:
    """Draft (with `attachments`, file name and bytes, uploaded by the drafter), review, sign off, register, seal and
    dispatch a notice of 象山县人民政府; return its id."""
    drafter, reviewer = await desk("xsx.drafter"), await desk("xsx.reviewer")
    leader, registrar = await desk("xsx.leader"), await desk("xsx.registrar")
    response = await drafter.post("/api/documents", json={"content": notice(title, **overrides)})
    assert response.status_code == 201, response.text
    doc_id: int = response.json()["id"]
    for filename, data in attachments:
        await upload(drafter, doc_id, data, filename)
    await act(drafter, doc_id, "submit", opinion="请审核")
    await act(reviewer, doc_id, "approve", opinion="文字已核", skip=["会签"],
              next_holders=[await person_id(reviewer, "xsx.leader")])
    await act(leader, doc_id, "approve", opinion="同意印发", skip=["复核"])
    await act(registrar, doc_id, "assign_number")
    await act(registrar, doc_id, "approve", opinion="已登记")
    await act(registrar, doc_id, "seal")
    view = await act(registrar, doc_id, "dispatch", opinion="核发")
    assert view["state"] == "dispatched", view["state"]
    return doc_id


async def transfer(client: Any, document_id: int, expect: int = 201) -> dict[str, Any]:
    response = await client.post("/api/archive/transfers", json={"document_id": document_id})
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def decide(client: Any, item_id: int, decision: str, expect: int = 200, **fields: Any) -> dict[str, Any]:
    response = await client.post(f"/api/archive/items/{item_id}/{decision}", json=fields)
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def item_row(services: Any, item_id: int) -> ArchiveItem:
    async with services.sessions() as session:
        item = await session.get(ArchiveItem, item_id)
        assert item is not None
        return item


async def package_rows(services: Any, item_id: int) -> list[ArchivePackage]:
    async with services.sessions() as session:
        return list((await session.execute(select(ArchivePackage).where(ArchivePackage.item_id == item_id)
                                           .order_by(ArchivePackage.id))).scalars())


def stored_path(services: Any, sha256: str) -> Path:
    return Path(services.settings.data_dir) / "archive" / f"{sha256}.eep"


async def audit_rows(services: Any, item_id: int, action: str) -> list[AuditRecord]:
    async with services.sessions() as session:
        return list((await session.execute(
            select(AuditRecord).where(AuditRecord.target_type == "archive_item", AuditRecord.target_id == str(item_id),
                                      AuditRecord.action == action).order_by(AuditRecord.id))).scalars())


async def events_of(services: Any, type_: str) -> list[tuple[int, dict[str, Any]]]:
    async with services.sessions() as session:
        rows = (await session.execute(select(NotificationEvent).where(NotificationEvent.type == type_)
                                      .order_by(NotificationEvent.id))).scalars().all()
    return [(e.recipient_id, e.payload) for e in rows]
