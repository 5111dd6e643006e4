"""归档移交 and 接收 through the real app on both databases: a dispatched notice becomes a signed package that
validates against the shipped XSD, waits in the archivist's queue with its four-check report, and is accepted
with a 档号 and the archive's 锁定签名, or rejected with reasons the unit sees and resends after."""

from __future__ import annotations

import re
import stat
import subprocess
from importlib import resources
from typing import Any

from sqlalchemy import delete, select

from archive.eep.verify import verify_package
from docflow.rendering.models import RenderedCopy
from docflow.rendering.store import RenderedStore
from tests.archive_flow.helpers import (
    decide,
    dispatched_notice,
    events_of,
    item_row,
    package_rows,
    stored_path,
    transfer,
)
from tests.docflow.helpers import Desk, People

ARCHIVAL_CODE = re.compile(r"^Z\d{3}-WS·\d{4}-(Y|D30|D10)-XSX-(\d{4})$")


async def test_a_dispatched_notice_becomes_a_signed_package_that_validates_against_the_shipped_xsd(
        demo: Any, desk: Desk, people: People) -> None:
    doc = await dispatched_notice(desk)
    item = await transfer(await desk("xsx.registrar"), doc)
    assert item["status"] == "transferred" and item["checks_passed"], item
    row = await item_row(demo, item["id"])
    path = stored_path(demo, row.package_sha256)
    schema = resources.files("archive.eep.schema").joinpath("eep-2009.xsd")
    lint = subprocess.run(["xmllint", "--noout", "--schema", str(schema), str(path)], capture_output=True, text=True,
                          check=False)
    assert lint.returncode == 0, lint.stderr
    report = verify_package(path)
    assert report.ok, report.to_text()
    meta = report.metadata
    assert meta is not None
    roles = [(d.role, d.file_name.rsplit(".", 1)[-1]) for d in meta.documents]
    assert roles[0] == ("主文档", "pdf") and ("附属文档", "xml") in roles
    assert meta.documents[0].head.startswith(b"%PDF-")
    actions = [b["业务行为"] for b in meta.business]
    assert actions[0] == "拟稿" and actions[-1] == "归档" and "用印" in actions and "核发" in actions
    assert meta.fields["文件编号"] == row.doc_number and row.doc_number
    report_json = row.check_report
    assert {f["code"][:4] for f in report_json["findings"]} >= {"GD-1", "GD-2", "GD-3", "GD-4"}
    assert row.transfer_entry["document_count"] == len(meta.documents)
    assert (people["xsx.archivist"], {"item_id": item["id"], "title": row.title, "passed": True}) in \
        await events_of(demo, "archive.item.transferred")


async def test_accepting_assigns_the_archival_code_locks_the_package_and_keeps_it_read_only(
        demo: Any, desk: Desk, people: People) -> None:
    doc = await dispatched_notice(desk)
    item = await transfer(await desk("xsx.registrar"), doc)
    archivist = await desk("xsx.archivist")
    accepted = await decide(archivist, item["id"], "accept")
    match = ARCHIVAL_CODE.match(accepted["archival_code"] or "")
    assert accepted["status"] == "accepted" and match and match.group(2) == "0001", accepted
    assert match.group(1) == "D30"  # 通知 in the default retention table
    row = await item_row(demo, item["id"])
    path = stored_path(demo, row.package_sha256)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    report = verify_package(path)
    assert report.ok and [s.is_lock for s in report.signatures] == [False, True], report.to_text()
    kinds = [p.kind.value for p in await package_rows(demo, item["id"])]
    assert kinds == ["transferred", "locked"]
    again = await decide(archivist, item["id"], "accept", expect=409)
    assert "已接收" in again["detail"]
    assert (people["xsx.registrar"], {"item_id": item["id"], "title": row.title,
                                      "archival_code": accepted["archival_code"]}) in \
        await events_of(demo, "archive.item.accepted")


async def test_only_the_units_own_archivist_takes_intake(demo: Any, desk: Desk) -> None:
    doc = await dispatched_notice(desk)
    item = await transfer(await desk("xsx.registrar"), doc)
    assert (await decide(await desk("ddjd.archivist"), item["id"], "accept", expect=403))["status"] == 403
    assert (await decide(await desk("xsx.drafter"), item["id"], "accept", expect=403))["status"] == 403
    assert (await item_row(demo, item["id"])).status.value == "transferred"


async def test_a_rejected_transfer_is_seen_by_the_unit_and_can_be_resent(demo: Any, desk: Desk, people: People) -> None:
    doc = await dispatched_notice(desk)
    registrar = await desk("xsx.registrar")
    item = await transfer(registrar, doc)
    await transfer(registrar, doc, expect=409)  # already with the archive
    rejected = await decide(await desk("xsx.archivist"), item["id"], "reject", reasons=["附件缺少防汛物资清单"])
    assert rejected["status"] == "rejected"
    listed = (await registrar.get("/api/archive/items", params={"status": "rejected"})).json()
    assert [(i["id"], i["reject_reasons"]) for i in listed["items"]] == [(item["id"], ["附件缺少防汛物资清单"])]
    told = await events_of(demo, "archive.item.rejected")
    assert {recipient for recipient, _ in told} == {people["xsx.registrar"]}
    assert told[0][1]["reasons"] == ["附件缺少防汛物资清单"]
    resent = await transfer(registrar, doc)
    assert resent["id"] == item["id"] and resent["status"] == "transferred" and resent["reject_reasons"] == []
    packages = await package_rows(demo, item["id"])
    assert [p.kind.value for p in packages] == ["transferred", "transferred"]
    assert packages[0].sha256 != packages[1].sha256
    assert (await decide(await desk("xsx.archivist"), item["id"], "accept"))["status"] == "accepted"


async def test_a_document_not_yet_dispatched_cannot_be_transferred(demo: Any, desk: Desk) -> None:
    drafter = await desk("xsx.drafter")
    doc = (await drafter.post("/api/documents", json={"content": __import__(
        "tests.docflow.helpers", fromlist=["notice"]).notice()})).json()
    refused = await transfer(await desk("xsx.registrar"), doc["id"], expect=409)
    assert "尚未核发" in refused["detail"]
    assert (await transfer(drafter, doc["id"], expect=403))["status"] == 403


async def test_the_main_document_is_the_copy_sealed_at_yongyin_and_a_changed_copy_is_refused(
        demo: Any, desk: Desk) -> None:
    doc = await dispatched_notice(desk)
    async with demo.sessions() as session:
        copy = (await session.execute(select(RenderedCopy).where(RenderedCopy.document_id == doc))).scalar_one()
    sealed = RenderedStore(demo.settings.data_dir).path_of(copy.sha256)
    original = sealed.read_bytes()
    sealed.chmod(0o644)
    sealed.write_bytes(original.replace(b"%%EOF", b"%%EOX"))
    refused = await transfer(await desk("xsx.registrar"), doc, expect=409)
    assert "正式文本无法归档" in refused["detail"]
    sealed.write_bytes(original)
    item = await transfer(await desk("xsx.registrar"), doc)
    report = verify_package(stored_path(demo, (await item_row(demo, item["id"])).package_sha256))
    assert report.metadata is not None
    main = report.metadata.documents[0]
    # The sealed copy itself, byte for byte: the renderer already writes its XMP unfiltered, as PDF/A wants.
    assert main.head == original[:len(main.head)] and main.actual_size == len(original)
    assert item["checks_passed"]


async def test_a_document_sealed_before_final_copies_were_stored_is_rendered_for_the_package(
        demo: Any, desk: Desk) -> None:
    doc = await dispatched_notice(desk, "关于开展冬季森林防火检查的通知")
    async with demo.sessions() as session, session.begin():
        await session.execute(delete(RenderedCopy).where(RenderedCopy.document_id == doc))
    item = await transfer(await desk("xsx.registrar"), doc)
    assert item["checks_passed"], (await item_row(demo, item["id"])).check_report
    report = verify_package(stored_path(demo, (await item_row(demo, item["id"])).package_sha256))
    assert report.metadata is not None and report.metadata.documents[0].head.startswith(b"%PDF-")
