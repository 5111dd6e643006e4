"""The whole incoming chain through the HTTP API on one node: 核发 delivers through the exchange to the
recipients' queues, and 签收, 登记, 初审/退文, 承办, 传阅, 答复 and 办结 move the sender's per-recipient status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.docflow.helpers import notice, person_id
from tests.incoming.helpers import Desks, deliveries, dispatch_notice, eventually, inbox, incoming_act, statuses


async def test_dispatch_reaches_every_unit_at_once_and_marks_free_text_organs_for_paper_delivery(make_client, demo):
    desk = Desks(make_client)
    doc_id = await dispatch_notice(desk)
    sender = await desk("xsx.registrar")
    seen = await eventually(lambda: deliveries(sender, doc_id),
                            lambda d: statuses(d) == {"DDJD": "delivered", "SPZ": "delivered", "XZZ": "delivered",
                                                      "县委办公室": "offline"})
    assert seen["县委办公室"]["status_label"] == "需线下送达"
    for unit in ("ddjd", "spz", "xzz"):
        unsigned = await inbox(await desk(f"{unit}.registrar"), "unsigned")
        assert [item["title"] for item in unsigned] == ["关于做好2026年防汛防台工作的通知"]
        assert unsigned[0]["sender_name"] == "象山县人民政府" and unsigned[0]["state_label"] == "待签收"
    # Another unit's people never see it.
    assert await inbox(await desk("xsx.registrar"), "unsigned") == []


async def test_sign_for_register_instruct_assign_reply_and_close_reach_the_sender(make_client, demo):
    desk = Desks(make_client)
    doc_id = await dispatch_notice(desk)
    registrar, sender = await desk("ddjd.registrar"), await desk("xsx.registrar")
    await eventually(lambda: inbox(registrar, "unsigned"), lambda items: len(items) == 1)
    incoming_id = (await inbox(registrar, "unsigned"))[0]["id"]

    view = await incoming_act(registrar, incoming_id, "sign_for")
    assert view["state"] == "signed_for" and view["signed_for_at"]
    await eventually(lambda: deliveries(sender, doc_id), lambda d: d["DDJD"]["status"] == "signed_for")

    view = await incoming_act(registrar, incoming_id, "register")
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    assert view["register_number"] == f"收文〔{year}〕1号" and view["state"] == "registered"
    view = await incoming_act(registrar, incoming_id, "accept", text="符合规定")
    leader_id = await person_id(registrar, "ddjd.leader")
    view = await incoming_act(registrar, incoming_id, "propose", text="建议由党政办牵头落实", leader_id=leader_id)
    assert view["state"] == "proposed"

    deputy = await desk("ddjd.deputy")
    refused = await deputy.post(f"/api/incoming/{incoming_id}/actions", json={"action": "instruct", "text": "同意"})
    assert refused.status_code == 403
    leader = await desk("ddjd.leader")
    assert [item["id"] for item in await inbox(leader, "todo")] == [incoming_id]
    view = await incoming_act(leader, incoming_id, "instruct", text="同意，请党政办抓紧落实")
    assert view["state"] == "instructed" and view["instruction"] == "同意，请党政办抓紧落实"

    drafter = await desk("ddjd.drafter")
    people = (await drafter.get("/api/people", params={"q": "ddjd.drafter"})).json()["items"]
    office_id = next(p["office_id"] for p in people if p["username"] == "ddjd.drafter")
    deadline = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    view = await incoming_act(registrar, incoming_id, "assign", lead_office_id=office_id, deadline=deadline)
    assert view["state"] == "in_progress" and view["lead_office_id"] == office_id
    assert incoming_id in [item["id"] for item in await inbox(drafter, "todo")]

    reply = await drafter.post(f"/api/incoming/{incoming_id}/reply",
                               json={"content": notice("关于防汛防台工作落实情况的报告", doc_type="报告",
                                                       issuer_mark="丹东街道办事处文件", issuer_names=["丹东街道办事处"],
                                                       daizi="丹街", main_recipients=[], copy_recipients=[],
                                                       signers=["丹东街道主任"])})
    assert reply.status_code == 201, reply.text
    draft = (await drafter.get(f"/api/documents/{reply.json()['document_id']}")).json()
    assert "答复象山县人民政府" in draft["content"]["notes"] and draft["state"] == "draft"
    assert draft["content"]["main_recipients"] == [{"unit_code": "XSX", "name": "象山县人民政府"}]

    view = await incoming_act(registrar, incoming_id, "close", text="已落实")
    assert view["state"] == "closed" and [h["action"] for h in view["history"]] == [
        "sign_for", "register", "accept", "propose", "instruct", "assign", "reply", "close"]
    final = await eventually(lambda: deliveries(sender, doc_id), lambda d: d["DDJD"]["status"] == "closed")
    assert final["DDJD"]["signed_for_at"] and final["DDJD"]["closed_at"]


async def test_a_return_with_reasons_is_seen_by_the_sender_and_needs_a_reason(make_client, demo):
    desk = Desks(make_client)
    doc_id = await dispatch_notice(desk)
    registrar, sender = await desk("spz.registrar"), await desk("xsx.registrar")
    await eventually(lambda: inbox(registrar, "unsigned"), lambda items: len(items) == 1)
    incoming_id = (await inbox(registrar, "unsigned"))[0]["id"]
    await incoming_act(registrar, incoming_id, "return", expect=409, reasons=["不属于本单位职责"])  # not yet
    await incoming_act(registrar, incoming_id, "sign_for")
    await incoming_act(registrar, incoming_id, "register")
    await incoming_act(registrar, incoming_id, "return", expect=422, reasons=["  "])
    view = await incoming_act(registrar, incoming_id, "return", reasons=["不属于本单位职责", "文种使用不当"])
    assert view["state"] == "returned" and view["actions"] == []
    seen = await eventually(lambda: deliveries(sender, doc_id), lambda d: d["SPZ"]["status"] == "returned")
    assert seen["SPZ"]["reasons"] == ["不属于本单位职责", "文种使用不当"] and seen["SPZ"]["status_label"] == "已退文"


async def test_circulation_shows_who_has_it_and_who_has_read_it(make_client, demo):
    desk = Desks(make_client)
    await dispatch_notice(desk)
    registrar = await desk("xzz.registrar")
    await eventually(lambda: inbox(registrar, "unsigned"), lambda items: len(items) == 1)
    incoming_id = (await inbox(registrar, "unsigned"))[0]["id"]
    for action in ("sign_for", "register", "accept"):
        await incoming_act(registrar, incoming_id, action)
    readers = [await person_id(registrar, name) for name in ("xzz.leader", "xzz.deputy", "xzz.drafter")]
    view = await incoming_act(registrar, incoming_id, "circulate", readers=readers)
    assert view["state"] == "circulating"
    assert {r["person_id"]: r["read_at"] for r in view["readers"]} == dict.fromkeys(readers)

    leader = await desk("xzz.leader")
    assert [item["id"] for item in await inbox(leader, "toread")] == [incoming_id]
    view = await incoming_act(leader, incoming_id, "read")
    assert await inbox(leader, "toread") == []
    await incoming_act(leader, incoming_id, "read", expect=409)  # read once
    outsider = await desk("xzz.archivist")
    await incoming_act(outsider, incoming_id, "read", expect=403)
    read = {r["person_id"] for r in view["readers"] if r["read_at"]}
    assert read == {readers[0]}
    view = await incoming_act(registrar, incoming_id, "close")
    assert view["state"] == "closed"


async def test_paper_documents_are_registered_by_hand_with_their_scans(make_client, demo):
    desk = Desks(make_client)
    registrar = await desk("ddjd.registrar")
    scan = b"%PDF-1.4 scanned page"
    import base64

    response = await registrar.post("/api/incoming/manual", json={
        "sender_name": "宁波市应急管理局", "title": "关于开展安全生产大检查的通知", "doc_type": "通知",
        "doc_number": "甬应急〔2026〕8号", "received_via": "纸质",
        "files": [{"filename": "扫描件.pdf", "media_type": "application/pdf",
                   "content_base64": base64.b64encode(scan).decode()}],
    })
    assert response.status_code == 201, response.text
    view = response.json()
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    assert view["state"] == "registered" and view["register_number"] == f"收文〔{year}〕1号"
    assert view["source"] == "manual" and view["attachments"][0]["size"] == len(scan)
    download = await registrar.get(f"/api/incoming/{view['id']}/attachments/1")
    assert download.status_code == 200 and download.content == scan
    drafter = await desk("ddjd.drafter")
    refused = await drafter.post("/api/incoming/manual", json={"sender_name": "x", "title": "y", "doc_type": "函"})
    assert refused.status_code == 403
    other = await desk("spz.registrar")
    assert (await other.get(f"/api/incoming/{view['id']}")).status_code == 403
