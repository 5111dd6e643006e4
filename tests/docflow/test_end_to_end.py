"""The whole outgoing flow through the HTTP API: drafting with versions, 核稿, 会签, 签发, 复核, 登记, 用印, 核发."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from docflow.numbering.models import IssuedNumber
from tests.docflow.helpers import (
    Desk,
    People,
    act,
    audit_actions,
    create,
    document,
    events,
    footprint,
    open_holders,
    save,
)


async def test_a_draft_keeps_every_save_as_a_version_and_refuses_a_stale_save(make_client, demo):
    desk = Desk(make_client)
    drafter = await desk("xsx.drafter")
    doc = await create(drafter)
    assert doc["version"] == 1 and doc["state"] == "draft"
    urgent = "关于做好2026年防汛防台工作的紧急通知"
    v2 = await save(drafter, doc["id"], base_version=1, title=urgent, summary="改标题")
    v3 = await save(drafter, doc["id"], base_version=v2["version"], summary="补充一条", title=urgent,
                    body=[*doc["content"]["body"], {"level": 0, "text": "请于6月1日前报送落实情况。"}])
    assert (v2["version"], v3["version"]) == (2, 3)

    diff = (await drafter.get(f"/api/documents/{doc['id']}/versions/diff", params={"a": 1, "b": 3})).json()
    assert (diff["from_version"], diff["to_version"]) == (1, 3)
    assert [f["field"] for f in diff["fields"]] == ["title"]
    assert diff["fields"][0]["after"] == urgent
    added = [r["text"] for r in diff["body"] if r["op"] == "added"]
    assert len(added) == 1 and "请于6月1日前报送落实情况。" in added[0]
    assert (diff["added"], diff["removed"]) == (1, 0)

    before = await footprint(demo, doc["id"])
    stale = await drafter.put(f"/api/documents/{doc['id']}/content",
                              json={"base_version": 2, "content": doc["content"], "summary": "旧稿覆盖"})
    assert stale.status_code == 409
    assert "版本" in stale.json()["detail"]
    assert await footprint(demo, doc["id"]) == before
    versions = (await drafter.get(f"/api/documents/{doc['id']}/versions")).json()["items"]
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert (await document(drafter, doc["id"]))["content"]["title"] == urgent


async def test_a_notice_goes_from_draft_to_dispatched_with_a_number_of_this_year(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    drafter, reviewer = await desk("xsx.drafter"), await desk("xsx.reviewer")
    leader, registrar = await desk("xsx.leader"), await desk("xsx.registrar")
    # Two internal offices countersign: 文电科 (xsx.drafter2) and 秘书科 (xsx.archivist).
    office_a, office_b = await desk("xsx.drafter2"), await desk("xsx.archivist")

    doc = await create(drafter)
    doc_id = doc["id"]
    view = await act(drafter, doc_id, "submit", opinion="请审核")
    assert view["state"] == "in_review" and open_holders(view) == {people["xsx.reviewer"]}

    view = await act(reviewer, doc_id, "approve", opinion="文字已核",
                     next_holders=[people["xsx.drafter2"], people["xsx.archivist"]])
    assert view["state"] == "countersigning"
    assert open_holders(view) == {people["xsx.drafter2"], people["xsx.archivist"]}
    view = await act(office_a, doc_id, "approve", opinion="文电科无意见")
    assert view["state"] == "countersigning"
    view = await act(office_b, doc_id, "approve", opinion="秘书科同意", next_holders=[people["xsx.leader"]])
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.leader"]}

    view = await act(leader, doc_id, "approve", opinion="同意印发")
    assert view["state"] == "recheck"
    signoff = view["signoff"]
    assert signoff["signer"] == str(people["xsx.leader"]) and signoff["opinion"] == "同意印发"
    signed_at = datetime.fromisoformat(signoff["at"])
    assert signed_at.tzinfo is not None  # the full date and time, not just a day
    leader_task = next(t for t in view["tasks"] if t["step"] == "签发")
    assert leader_task["holder_name"] and leader_task["opinion"] == "同意印发" and leader_task["closed_at"]

    view = await act(reviewer, doc_id, "approve", opinion="复核无误")
    assert view["state"] == "registering" and open_holders(view) == {people["xsx.registrar"]}
    view = await act(registrar, doc_id, "assign_number")
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    assert view["doc_number"] == f"象政发〔{year}〕1号"
    view = await act(registrar, doc_id, "approve", opinion="已登记，印30份")
    assert view["state"] == "sealing"
    assert open_holders(view) == {people["xsx.registrar"]}
    view = await act(registrar, doc_id, "seal")
    assert view["state"] == "dispatching" and open_holders(view) == {people["xsx.registrar"]}
    view = await act(registrar, doc_id, "dispatch", opinion="核发")
    assert view["state"] == "dispatched" and view["doc_number"] == f"象政发〔{year}〕1号"
    assert open_holders(view) == set() and view["allowed_actions"] == []

    assert await audit_actions(demo, doc_id) == [
        "create", "submit", "approve", "approve", "approve", "approve", "approve", "assign_number", "approve",
        "seal", "dispatch",
    ]
    history = (await drafter.get(f"/api/documents/{doc_id}/history")).json()["items"]
    signed = next(h for h in history if h["from_state"] == "awaiting_signoff")
    assert signed["actor_name"] == leader_task["holder_name"] and signed["note"] == "同意印发"
    async with demo.sessions() as session:
        issued = (await session.execute(select(IssuedNumber).where(IssuedNumber.document_id == doc_id))).scalars().all()
    assert [(n.seq, n.year, n.status.value) for n in issued] == [(1, year, "assigned")]
    told = await events(demo, doc_id)
    assert (people["xsx.drafter"], "docflow.numbered") in told
    assert {(people["xsx.drafter"], "docflow.dispatched"), (people["xsx.leader"], "docflow.dispatched")} <= set(told)
    assert (await footprint(demo, doc_id)).state == "dispatched"


async def test_a_co_issuing_units_person_countersigns_and_reads_only_that_document(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = (await create(await desk("xsx.drafter"), issuer_names=["象山县人民政府", "象山县人民政府办公室"]))["id"]
    other_id = (await create(await desk("xsx.drafter"), title="另一份通知"))["id"]
    await act(await desk("xsx.drafter"), doc_id, "submit")
    view = await act(await desk("xsx.reviewer"), doc_id, "approve", next_holders=[people["zfb.leader"]])
    assert open_holders(view) == {people["zfb.leader"]}

    partner = await desk("zfb.leader")
    assert (await document(partner, doc_id))["allowed_actions"].count("approve") == 1
    await document(partner, other_id, expect=403)
    todo = (await partner.get("/api/worklist/todo")).json()
    assert [(i["id"], i["step"]) for i in todo["items"]] == [(doc_id, "会签")]
    view = await act(partner, doc_id, "approve", opinion="县府办同意联合发文", next_holders=[people["xsx.deputy"]])
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.deputy"]}
    countersign = next(t for t in view["tasks"] if t["step"] == "会签")
    assert countersign["opinion"] == "县府办同意联合发文" and countersign["acted_by_id"] == people["zfb.leader"]


async def test_an_edit_by_the_reviewer_is_a_version_of_its_own_that_the_drafter_can_compare(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    drafter, reviewer = await desk("xsx.drafter"), await desk("xsx.reviewer")
    doc = await create(drafter)
    await act(drafter, doc["id"], "submit")
    current = (await document(reviewer, doc["id"]))["version"]
    body = [*doc["content"]["body"][:-1], {"level": 0, "text": "各镇乡街道主要负责人为防汛防台第一责任人。"}]
    await save(reviewer, doc["id"], base_version=current, summary="核稿修改责任表述", body=body)

    versions = (await drafter.get(f"/api/documents/{doc['id']}/versions")).json()["items"]
    # A version is numbered by the document's version counter, which workflow actions advance too.
    assert [(v["number"], v["author_id"], v["step"]) for v in versions] == [
        (1, people["xsx.drafter"], "拟稿"), (current + 1, people["xsx.reviewer"], "核稿")]
    assert versions[1]["summary"] == "核稿修改责任表述"
    diff = (await drafter.get(f"/api/documents/{doc['id']}/versions/diff",
                              params={"a": 1, "b": current + 1})).json()
    assert diff["to_author"] == versions[1]["author_name"] and (diff["added"], diff["removed"]) == (1, 1)
    assert (people["xsx.drafter"], "docflow.edited") in await events(demo, doc["id"])
