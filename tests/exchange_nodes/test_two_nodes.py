"""Two nodes for real: documents travel both ways between units hosted on different nodes, through the same
outbox, inbox and receipts as between units of one node."""

from __future__ import annotations

from sqlalchemy import func, select

from docflow.incoming.models import IncomingDocument
from tests.exchange_nodes.conftest import TwoNodes
from tests.incoming.helpers import deliveries, dispatch_notice, eventually, inbox, incoming_act, statuses


async def test_a_notice_from_node_a_reaches_units_on_both_nodes_and_receipts_come_back(two_nodes: TwoNodes):
    nodes = two_nodes

    async def desk_a(username: str):  # type: ignore[no-untyped-def]
        return await nodes.desk(nodes.a, username)

    form = b"%PDF-1.7\n% inspection form\n" + bytes(range(256)) * 8
    doc_id = await dispatch_notice(desk_a, attachments=(("防汛检查表.pdf", form),))
    sender = await nodes.desk(nodes.a, "xsx.registrar")
    seen = await eventually(lambda: deliveries(sender, doc_id),
                            lambda d: statuses(d) == {"DDJD": "delivered", "SPZ": "delivered", "XZZ": "delivered",
                                                      "县委办公室": "offline"})
    assert all(seen[code]["attempts"] >= 1 for code in ("DDJD", "SPZ", "XZZ"))

    on_b = await nodes.desk(nodes.b, "ddjd.registrar")
    unsigned = await inbox(on_b, "unsigned")
    assert [item["title"] for item in unsigned] == ["关于做好2026年防汛防台工作的通知"]
    # Node A's copy of 丹东街道 receives nothing: the directory routes DDJD to node B.
    assert await inbox(await nodes.desk(nodes.a, "ddjd.registrar"), "unsigned") == []
    assert len(await inbox(await nodes.desk(nodes.a, "xzz.registrar"), "unsigned")) == 1

    incoming_id = unsigned[0]["id"]
    detail = (await on_b.get(f"/api/incoming/{incoming_id}")).json()
    assert [(a["filename"], a["size"]) for a in detail["attachments"]] == [("防汛检查表.pdf", len(form))]
    assert (await on_b.get(f"/api/incoming/{incoming_id}/attachments/1")).content == form
    assert detail["seal"]["sealing_unit"] == "XSX" and detail["seal"]["signature"]
    assert detail["doc_number"].startswith("象政发〔") and detail["elements"]["sender_node"] == "node-a"
    await incoming_act(on_b, incoming_id, "sign_for")
    await eventually(lambda: deliveries(sender, doc_id), lambda d: d["DDJD"]["status"] == "signed_for")
    await incoming_act(on_b, incoming_id, "register")
    await incoming_act(on_b, incoming_id, "return", reasons=["请补充附件"])
    returned = await eventually(lambda: deliveries(sender, doc_id), lambda d: d["DDJD"]["status"] == "returned")
    assert returned["DDJD"]["reasons"] == ["请补充附件"]


async def test_a_report_from_a_unit_on_node_b_reaches_the_county_on_node_a(two_nodes: TwoNodes):
    nodes = two_nodes

    async def desk_b(username: str):  # type: ignore[no-untyped-def]
        return await nodes.desk(nodes.b, username)

    doc_id = await dispatch_notice(
        desk_b, "丹东街道关于防汛防台工作落实情况的报告", unit="ddjd", doc_type="报告",
        issuer_mark="丹东街道办事处文件", issuer_names=["丹东街道办事处"], daizi="丹街", signers=["主任"],
        main_recipients=[{"unit_code": "XSX", "name": "象山县人民政府"}], copy_recipients=[])
    sender = await nodes.desk(nodes.b, "ddjd.registrar")
    await eventually(lambda: deliveries(sender, doc_id), lambda d: statuses(d) == {"XSX": "delivered"})
    county = await nodes.desk(nodes.a, "xsx.registrar")
    unsigned = await inbox(county, "unsigned")
    assert [(i["title"], i["sender_name"]) for i in unsigned] == [("丹东街道关于防汛防台工作落实情况的报告",
                                                                   "丹东街道办事处")]
    await incoming_act(county, unsigned[0]["id"], "sign_for")
    await eventually(lambda: deliveries(sender, doc_id), lambda d: d["XSX"]["status"] == "signed_for")
    async with nodes.b.services.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(IncomingDocument))).scalar_one() == 0
