"""Illegal moves through the HTTP API: each is refused with a clear error and leaves the document, its tasks, its
history, its audit trail and the notification events exactly as they were."""

from __future__ import annotations

from sqlalchemy import func, select

from docflow.numbering.models import IssuedNumber, NumberCounter
from tests.docflow.helpers import (
    Desk,
    People,
    act,
    create,
    document,
    footprint,
    notice,
    to_register,
    to_review,
    to_signoff,
)


async def test_acting_on_a_task_someone_else_holds_is_forbidden(make_client, demo):
    desk = Desk(make_client)
    doc_id = await to_review(desk)
    leader = await desk("xsx.leader")
    before = await footprint(demo, doc_id)
    body = await act(leader, doc_id, "approve", expect=403, opinion="同意")
    assert "核稿" in body["detail"]
    await act(leader, doc_id, "return", expect=403, target="drafter", reason="不同意")
    assert await footprint(demo, doc_id) == before


async def test_approving_twice_is_a_conflict(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    reviewer = await desk("xsx.reviewer")
    before = await footprint(demo, doc_id)
    body = await act(reviewer, doc_id, "approve", expect=409, opinion="再同意一次", skip=["会签"])
    assert "已办理" in body["detail"]
    assert await footprint(demo, doc_id) == before


async def test_numbering_before_signoff_is_refused_and_takes_no_number(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    registrar = await desk("xsx.registrar")
    before = await footprint(demo, doc_id)
    body = await act(registrar, doc_id, "assign_number", expect=409)
    assert "签发" in body["detail"]
    assert await footprint(demo, doc_id) == before
    async with demo.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(IssuedNumber))).scalar_one() == 0
        assert (await session.execute(select(func.count()).select_from(NumberCounter))).scalar_one() == 0


async def test_numbering_twice_keeps_the_first_number(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_register(desk, people)
    registrar = await desk("xsx.registrar")
    first = (await act(registrar, doc_id, "assign_number"))["doc_number"]
    again = (await act(registrar, doc_id, "assign_number"))["doc_number"]
    assert again == first
    async with demo.sessions() as session:
        seqs = (await session.execute(select(IssuedNumber.seq).where(IssuedNumber.document_id == doc_id))).all()
    assert [s for (s,) in seqs] == [1]


async def test_sending_on_from_registration_without_a_number_is_refused(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_register(desk, people)
    before = await footprint(demo, doc_id)
    body = await act(await desk("xsx.registrar"), doc_id, "approve", expect=409)
    assert "发文字号" in body["detail"]
    assert await footprint(demo, doc_id) == before


async def test_editing_after_sending_on_is_refused_until_withdrawn(make_client, demo):
    desk = Desk(make_client)
    doc_id = await to_review(desk)
    drafter = await desk("xsx.drafter")
    before = await footprint(demo, doc_id)
    response = await drafter.put(f"/api/documents/{doc_id}/content",
                                 json={"base_version": before.version, "content": notice(title="偷偷改标题")})
    assert response.status_code == 403 and "撤回" in response.json()["detail"]
    assert await footprint(demo, doc_id) == before


async def test_a_person_of_another_unit_may_not_read_a_document(make_client, demo):
    desk = Desk(make_client)
    doc_id = (await create(await desk("xsx.drafter")))["id"]
    stranger = await desk("spz.drafter")
    for path in ("", "/history", "/versions"):
        response = await stranger.get(f"/api/documents/{doc_id}{path}")
        assert response.status_code == 403, path
        assert response.json()["detail"] == "无权查看此公文"
    before = await footprint(demo, doc_id)
    await act(stranger, doc_id, "submit", expect=403)
    assert await footprint(demo, doc_id) == before


async def test_an_administrator_may_not_read_documents_or_lists(make_client, demo):
    desk = Desk(make_client)
    doc_id = (await create(await desk("xsx.drafter")))["id"]
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        client = await desk(admin)
        assert (await client.get(f"/api/documents/{doc_id}")).status_code == 403
        assert (await client.get("/api/worklist/todo")).status_code == 403
        assert (await client.get("/api/workbench/counts")).status_code == 403
        response = await client.post("/api/documents", json={"content": notice()})
        assert response.status_code == 403


async def test_bad_action_bodies_are_refused_with_the_field_at_fault(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_review(desk)
    reviewer = await desk("xsx.reviewer")
    before = await footprint(demo, doc_id)
    cases = [
        ({"action": "fly"}, "action"),
        ({}, "action"),
        ({"action": "approve", "colour": "red"}, "colour"),
        ({"action": "approve", "next_holders": "xsx.leader"}, "next_holders"),
        ({"action": "approve", "next_holders": [str(people["xsx.leader"])]}, "next_holders.0"),
        ({"action": "approve", "skip": ["喝茶"]}, "skip.0"),
        ({"action": "return", "target": "sideways", "reason": "x"}, "target"),
        ({"action": "approve", "opinion": "很" * 2001}, "opinion"),
        ({"action": "approve", "next_holders": [987654]}, "holders"),
    ]
    for body, field in cases:
        response = await reviewer.post(f"/api/documents/{doc_id}/actions", json=body)
        assert response.status_code == 422, (body, response.text)
        problem = response.json()
        assert field in [e["field"] for e in problem["errors"]], (body, problem)
    response = await reviewer.post(f"/api/documents/{doc_id}/actions", content=b"{not json",
                                   headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert await footprint(demo, doc_id) == before


async def test_an_action_on_a_document_that_does_not_exist_is_not_found(make_client, demo):
    desk = Desk(make_client)
    reviewer = await desk("xsx.reviewer")
    body = await act(reviewer, 999_999, "approve", expect=404)
    assert "999999" in body["detail"]
    assert (await document(reviewer, 999_999, expect=404))["status"] == 404


async def test_a_sealed_document_can_no_longer_be_edited_or_changed_in_substance(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_register(desk, people)
    registrar = await desk("xsx.registrar")
    await act(registrar, doc_id, "assign_number")
    await act(registrar, doc_id, "approve")
    view = await act(registrar, doc_id, "seal")
    assert view["state"] == "dispatching"

    before = await footprint(demo, doc_id)
    response = await registrar.put(f"/api/documents/{doc_id}/content",
                                   json={"base_version": before.version, "content": notice(title="用印后改标题")})
    assert response.status_code == 409 and "用印" in response.json()["detail"]
    body = await act(registrar, doc_id, "substantive_change", expect=409, reason="改一个数字")
    assert "用印" in body["detail"]
    await act(await desk("xsx.drafter"), doc_id, "cancel", expect=409, reason="不发了")
    assert await footprint(demo, doc_id) == before
    assert (await document(registrar, doc_id))["content"]["title"] == notice()["title"]
