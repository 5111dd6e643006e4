"""A year's transfer in one call, concurrent accepts that still number items without gap or duplicate (PostgreSQL),
the archivist's export as a zip (EEP batch with 移交清单, BagIt), and a metadata correction as a 修改型 package
that keeps the original inside."""

from __future__ import annotations

import asyncio
import io
import zipfile
from typing import Any

import pytest
from sqlalchemy import select

from archive.eep.verify import verify_package
from archive.keeping.models import ArchivalCounter
from archive.transfer.final_copy import CHINA
from oa.audit.models import AuditRecord
from oa.database import utcnow
from tests.archive_flow.helpers import audit_rows, decide, dispatched_notice, item_row, package_rows, stored_path
from tests.docflow.helpers import Desk


async def transfer_year(client: Any, year: int, expect: int = 201) -> list[dict[str, Any]]:
    response = await client.post("/api/archive/transfers/year", json={"year": year})
    assert response.status_code == expect, response.text
    body: list[dict[str, Any]] = response.json()
    return body


@pytest.mark.postgres_only
async def test_concurrent_accepts_hand_out_continuous_item_numbers_without_duplicates(
        demo: Any, desk: Desk, make_client: Any) -> None:
    for n in range(6):
        await dispatched_notice(desk, f"关于第{n + 1}批防汛物资调拨的通知")
    items = await transfer_year(await desk("xsx.registrar"), this_year())
    assert len(items) == 6 and all(i["checks_passed"] for i in items)
    archivists = []
    for _ in items:
        client = make_client()
        await client.sign_in("xsx.archivist")
        archivists.append(client)
    responses = await asyncio.gather(*(c.post(f"/api/archive/items/{i['id']}/accept", json={})
                                       for c, i in zip(archivists, items, strict=True)))
    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    codes = [r.json()["archival_code"] for r in responses]
    assert sorted(int(code[-4:]) for code in codes) == [1, 2, 3, 4, 5, 6]
    assert len(set(codes)) == 6
    async with demo.sessions() as session:
        assert (await session.execute(select(ArchivalCounter.last_item))).scalars().all() == [6]


def this_year() -> int:
    """The year the test documents are signed off in (China time), which is their 年度."""
    return utcnow().astimezone(CHINA).year


async def test_a_year_is_transferred_in_one_call_and_only_once(demo: Any, desk: Desk) -> None:
    await dispatched_notice(desk)
    await dispatched_notice(desk, "关于开展冬季森林防火检查的通知")
    registrar = await desk("xsx.registrar")
    year = this_year()
    items = await transfer_year(registrar, year)
    assert {i["title"] for i in items} == {"关于开展冬季森林防火检查的通知", "关于做好2026年防汛防台工作的通知"}
    again = (await registrar.post("/api/archive/transfers/year", json={"year": year})).json()
    assert again["status"] == 422 and "没有待归档" in again["detail"]
    assert (await transfer_year(await desk("xsx.drafter"), year, expect=403))


async def test_the_archivist_exports_a_year_as_a_zip_with_the_transfer_list_and_a_bag(demo: Any, desk: Desk) -> None:
    doc = await dispatched_notice(desk)
    archivist = await desk("xsx.archivist")
    item = await decide(archivist, (await (await desk("xsx.registrar")).post(
        "/api/archive/transfers", json={"document_id": doc})).json()["id"], "accept")
    response = await archivist.post("/api/archive/exports", json={"year": item["year"], "formats": ["eep", "bagit"]})
    assert response.status_code == 200, response.text
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(n.startswith("eep/") and n.endswith(f"{item['archival_code']}.eep") for n in names), names
    assert any(n.startswith("eep/") and n.endswith(".xml") for n in names), names  # the 移交清单
    assert any(n.startswith("bagit/") and n.endswith("bagit.txt") for n in names), names
    async with demo.sessions() as session:
        exports = (await session.execute(select(AuditRecord).where(AuditRecord.action == "archive.export"))).scalars()
        assert [e.detail["items"] for e in exports] == [1]
    refused = await (await desk("xsx.drafter")).post("/api/archive/exports", json={"year": item["year"],
                                                                                   "formats": ["eep"]})
    assert refused.status_code == 403
    county = await (await desk("dag.archivist")).post(
        "/api/archive/exports", json={"year": item["year"], "formats": ["eark"], "unit_code": "XSX"})
    assert county.status_code == 200, county.text


async def test_a_metadata_correction_makes_a_revision_package_that_keeps_the_original(demo: Any, desk: Desk) -> None:
    doc = await dispatched_notice(desk)
    archivist = await desk("xsx.archivist")
    item = await decide(archivist, (await (await desk("xsx.registrar")).post(
        "/api/archive/transfers", json={"document_id": doc})).json()["id"], "accept")
    locked_sha = (await item_row(demo, item["id"])).package_sha256
    corrected = await decide(archivist, item["id"], "corrections", declaration="题名漏字，据原件更正",
                             title="关于切实做好2026年防汛防台工作的通知")
    assert corrected["title"] == "关于切实做好2026年防汛防台工作的通知"
    assert corrected["archival_code"] == item["archival_code"]
    packages = await package_rows(demo, item["id"])
    assert [p.kind.value for p in packages] == ["transferred", "locked", "revision"]
    revision = stored_path(demo, packages[-1].sha256)
    report = verify_package(revision)
    assert report.ok and report.metadata is not None, report.to_text()
    assert report.metadata.package_type == "修改型"
    assert report.metadata.fields["题名"] == "关于切实做好2026年防汛防台工作的通知"
    assert locked_sha != packages[-1].sha256 and stored_path(demo, locked_sha).exists()
    (row,) = await audit_rows(demo, item["id"], "archive.item.correct")
    assert row.detail["before"]["title"] == "关于做好2026年防汛防台工作的通知"
    found = (await archivist.get("/api/archive/items", params={"q": "切实做好"})).json()
    assert [i["id"] for i in found["items"]] == [item["id"]]
