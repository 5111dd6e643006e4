"""归档 of incoming documents (收文) through the real app on both databases: a notice from 象山县人民政府 reaches
丹东街道 through the exchange, goes 签收 … 办结, and its registrar transfers it; the package validates against the
shipped XSD and verifies, carries the exchange envelope and the 收文处理单, and the unit's archivist accepts it
with a 件号 continuing the unit's outgoing items of the same class; a 收文 not yet 办结 is refused, nothing kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree
from sqlalchemy import func, select

from archive.eep.extract import extract_package
from archive.eep.reader import hardened_parser
from archive.eep.verify import package_schema, verify_package
from archive.keeping.models import ArchiveItem, SourceKind
from tests.archive_flow.helpers import decide, item_row, stored_path
from tests.docflow.helpers import Desk, person_id
from tests.incoming.helpers import dispatch_notice, eventually, inbox, incoming_act

TITLE = "关于做好2026年防汛防台工作的通知"
DDJD_CODE = re.compile(r"^Z\d{3}-WS·\d{4}-(Y|D30|D10)-DDJD-(\d{4})$")


async def received_in_ddjd(desk: Desk, title: str = TITLE) -> int:
    """象山县人民政府 dispatches `title` to the towns; 丹东街道's registrar sees it 待签收. Returns its incoming id."""
    await dispatch_notice(desk, title)
    registrar = await desk("ddjd.registrar")
    unsigned = await eventually(lambda: inbox(registrar, "unsigned"),
                                lambda items: any(i["title"] == title for i in items))
    return int(next(i["id"] for i in unsigned if i["title"] == title))


async def handled_up_to_assignment(desk: Desk, incoming_id: int) -> None:
    registrar, leader = await desk("ddjd.registrar"), await desk("ddjd.leader")
    await incoming_act(registrar, incoming_id, "sign_for")
    await incoming_act(registrar, incoming_id, "register")
    await incoming_act(registrar, incoming_id, "accept", text="符合收文要求")
    await incoming_act(registrar, incoming_id, "propose", text="建议由党政办牵头落实",
                       leader_id=await person_id(registrar, "ddjd.leader"))
    await incoming_act(leader, incoming_id, "instruct", text="同意，请党政办抓紧落实")
    drafter = await desk("ddjd.drafter")
    people = (await drafter.get("/api/people", params={"q": "ddjd.drafter"})).json()["items"]
    office_id = next(p["office_id"] for p in people if p["username"] == "ddjd.drafter")
    await incoming_act(registrar, incoming_id, "assign", lead_office_id=office_id,
                       deadline=(datetime.now(UTC) + timedelta(days=3)).isoformat())


async def ddjd_outgoing_notice(desk: Desk) -> int:
    """A 通知 of 丹东街道 itself, dispatched to the county: the unit's outgoing item of the same class."""
    return await dispatch_notice(desk, "关于丹东街道汛期值班安排的通知", unit="ddjd", issuer_mark="丹东街道办事处文件",
                                 issuer_names=["丹东街道办事处"], daizi="丹街",
                                 main_recipients=[{"unit_code": "XSX", "name": "象山县人民政府"}],
                                 copy_recipients=[], printing_organ="丹东街道党政办")


async def archive_items(services: Any) -> list[ArchiveItem]:
    async with services.sessions() as session:
        return list((await session.execute(select(ArchiveItem).order_by(ArchiveItem.id))).scalars())


def stored_package_files(services: Any) -> list[Path]:
    folder = Path(services.settings.data_dir) / "archive"
    return sorted(folder.glob("*.eep")) if folder.exists() else []


async def test_an_incoming_notice_not_yet_closed_is_refused_and_nothing_is_stored(demo: Any, desk: Desk) -> None:
    incoming_id = await received_in_ddjd(desk)
    registrar = await desk("ddjd.registrar")
    await handled_up_to_assignment(desk, incoming_id)
    refused = await registrar.post("/api/archive/transfers", json={"incoming_id": incoming_id})
    assert refused.status_code == 409, refused.text
    assert "尚未办结" in refused.json()["detail"] and TITLE in refused.json()["detail"]
    assert await archive_items(demo) == [] and stored_package_files(demo) == []
    both = await registrar.post("/api/archive/transfers", json={"incoming_id": incoming_id, "document_id": 1})
    assert both.status_code == 422, both.text
    other_unit = await (await desk("spz.registrar")).post("/api/archive/transfers", json={"incoming_id": incoming_id})
    assert other_unit.status_code == 403, other_unit.text


async def test_a_closed_incoming_notice_becomes_a_package_the_unit_archivist_accepts_after_its_outgoing_items(
        demo: Any, desk: Desk, tmp_path: Path) -> None:
    outgoing_id = await ddjd_outgoing_notice(desk)
    registrar, archivist = await desk("ddjd.registrar"), await desk("ddjd.archivist")
    outgoing = await registrar.post("/api/archive/transfers", json={"document_id": outgoing_id})
    assert outgoing.status_code == 201, outgoing.text
    first = await decide(archivist, outgoing.json()["id"], "accept")
    first_code = DDJD_CODE.match(first["archival_code"] or "")
    assert first_code, first

    incoming_id = await received_in_ddjd(desk)
    await handled_up_to_assignment(desk, incoming_id)
    closed = await incoming_act(registrar, incoming_id, "close", text="已落实，汛前检查完毕")
    register_number = closed["register_number"]
    response = await registrar.post("/api/archive/transfers", json={"incoming_id": incoming_id})
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["status"] == "transferred" and item["checks_passed"], item
    again = await registrar.post("/api/archive/transfers", json={"incoming_id": incoming_id})
    assert again.status_code == 409 and "已移交" in again.json()["detail"]

    row = await item_row(demo, item["id"])
    assert (row.source_kind, row.source_id) == (SourceKind.INCOMING, incoming_id)
    assert row.responsible == "象山县人民政府" and row.doc_number and row.doc_number.startswith("象政发")
    path = stored_path(demo, row.package_sha256)
    schema = package_schema()
    assert schema.validate(etree.parse(str(path), hardened_parser())), schema.error_log
    report = verify_package(path)
    assert report.ok, report.to_text()
    meta = report.metadata
    assert meta is not None
    assert meta.fields["文件编号"] == row.doc_number and meta.responsible == ("象山县人民政府",)
    assert meta.fields["附注"] == f"收文编号：{register_number}"
    assert [b["业务行为"] for b in meta.business] == ["签收", "登记", "初审通过", "拟办", "批示", "交办", "办结", "归档"]
    names = [d.file_name for d in meta.documents]
    assert meta.documents[0].role == "主文档" and meta.documents[0].head.startswith(b"%PDF-")
    assert names[-2:] == [f"{row.file_number}-交换报文.xml", f"{row.file_number}-收文处理单.xml"]

    files = extract_package(path, tmp_path / "out")
    envelope = etree.parse(str(files[-2]), hardened_parser()).getroot()
    assert TITLE in etree.tostring(envelope, encoding="unicode")
    form = etree.parse(str(files[-1]), hardened_parser()).getroot()
    assert form.tag == "收文处理单" and form.get("收文编号") == register_number
    assert form.findtext("拟办意见") == "建议由党政办牵头落实" and form.findtext("领导批示") == "同意，请党政办抓紧落实"
    assert [s.get("行为") for s in form.iter("步骤")][-1] == "办结"
    assert [s.text for s in form.iter("步骤")][-1] == "已落实，汛前检查完毕"

    accepted = await decide(archivist, item["id"], "accept")
    code = DDJD_CODE.match(accepted["archival_code"] or "")
    assert code and code.group(1) == first_code.group(1), accepted
    assert int(code.group(2)) == int(first_code.group(2)) + 1
    found = (await archivist.get("/api/archive/items", params={"q": TITLE})).json()["items"]
    assert [i["id"] for i in found] == [item["id"]]
    by_body = (await archivist.get("/api/archive/items", params={"q": "第一责任人"})).json()["items"]
    assert item["id"] in [i["id"] for i in by_body]


async def test_the_year_batch_takes_the_closed_incoming_documents_and_leaves_open_ones(demo: Any, desk: Desk) -> None:
    closed_id = await received_in_ddjd(desk)
    registrar = await desk("ddjd.registrar")
    await incoming_act(registrar, closed_id, "sign_for")
    await incoming_act(registrar, closed_id, "register")
    await incoming_act(registrar, closed_id, "accept", text="阅件")
    await incoming_act(registrar, closed_id, "circulate", readers=[await person_id(registrar, "ddjd.leader")])
    await incoming_act(await desk("ddjd.leader"), closed_id, "read")
    await incoming_act(registrar, closed_id, "close", text="传阅完毕")
    open_id = await received_in_ddjd(desk, "关于开展冬季森林防火检查的通知")
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    response = await registrar.post("/api/archive/transfers/year", json={"year": year})
    assert response.status_code == 201, response.text
    assert [i["title"] for i in response.json()] == [TITLE]
    async with demo.sessions() as session:
        kinds = (await session.execute(select(ArchiveItem.source_kind, ArchiveItem.source_id))).all()
        assert kinds == [(SourceKind.INCOMING, closed_id)]
        assert await session.scalar(select(func.count()).select_from(ArchiveItem)
                                    .where(ArchiveItem.source_id == open_id)) == 0


async def test_a_rejected_incoming_item_is_resent_by_the_same_call_as_the_same_item(demo: Any, desk: Desk) -> None:
    incoming_id = await received_in_ddjd(desk)
    registrar = await desk("ddjd.registrar")
    await handled_up_to_assignment(desk, incoming_id)
    await incoming_act(registrar, incoming_id, "close", text="已落实")
    item = (await registrar.post("/api/archive/transfers", json={"incoming_id": incoming_id})).json()
    rejected = await decide(await desk("ddjd.archivist"), item["id"], "reject", reasons=["缺少承办结果材料"])
    assert rejected["status"] == "rejected"
    before = await item_row(demo, item["id"])
    resent = await registrar.post("/api/archive/transfers", json={"incoming_id": incoming_id})
    assert resent.status_code == 201, resent.text
    assert resent.json()["id"] == item["id"] and resent.json()["status"] == "transferred"
    row = await item_row(demo, item["id"])
    assert row.version == before.version + 1 and row.package_sha256 != before.package_sha256
    assert [(i.source_kind, i.source_id) for i in await archive_items(demo)] == [(SourceKind.INCOMING, incoming_id)]
