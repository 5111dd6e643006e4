"""退回 (to the previous step, to the drafter, to a named earlier step) with 直送 back, and 撤回 before and after
the next holder acts — through the HTTP API."""

from __future__ import annotations

from tests.docflow.helpers import (
    Desk,
    People,
    act,
    audit_actions,
    document,
    events,
    footprint,
    open_holders,
    open_tasks,
    to_review,
    to_signoff,
)


async def test_a_return_to_the_previous_step_comes_straight_back_to_the_signer(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    leader, reviewer = await desk("xsx.leader"), await desk("xsx.reviewer")

    view = await act(leader, doc_id, "return", target="previous", reason="第二条表述不准确")
    assert view["state"] == "in_review" and open_holders(view) == {people["xsx.reviewer"]}
    returned = [r for r, t in await events(demo, doc_id, "docflow.returned")]
    assert set(returned) == {people["xsx.reviewer"], people["xsx.drafter"]}
    assert "resubmit" in (await document(reviewer, doc_id))["allowed_actions"]

    view = await act(reviewer, doc_id, "resubmit", opinion="已修改")
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.leader"]}
    assert (await audit_actions(demo, doc_id))[-2:] == ["return", "resubmit"]


async def test_a_return_to_the_drafter_lands_in_the_drafters_todo_and_resubmits_to_the_reviewer(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    leader, drafter = await desk("xsx.leader"), await desk("xsx.drafter")

    view = await act(leader, doc_id, "return", target="drafter", reason="请重新起草第一部分")
    assert view["state"] == "draft" and open_holders(view) == {people["xsx.drafter"]}
    assert view["signoff"] is None
    todo = (await drafter.get("/api/worklist/todo")).json()["items"]
    assert [(i["id"], i["step"]) for i in todo] == [(doc_id, "拟稿")]

    # 直送 goes straight back to the step that returned it, skipping 核稿.
    view = await act(drafter, doc_id, "resubmit", opinion="已重写")
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.leader"]}


async def test_a_return_to_a_named_step_after_signoff_voids_the_signature_and_comes_back_via_the_signer(
        make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    leader, reviewer, registrar = await desk("xsx.leader"), await desk("xsx.reviewer"), await desk("xsx.registrar")
    await act(leader, doc_id, "approve", opinion="同意")
    await act(reviewer, doc_id, "approve", opinion="复核无误")

    view = await act(registrar, doc_id, "return", target="step", step="核稿", reason="主送单位有误，请核稿人处理")
    assert view["state"] == "in_review" and view["signoff"] is None
    assert open_holders(view) == {people["xsx.reviewer"]}
    # Coming back it must be signed again: 直送 goes to 签发, not to 登记.
    view = await act(reviewer, doc_id, "resubmit", opinion="主送已改")
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.leader"]}


async def test_a_return_to_a_step_the_document_never_went_through_is_refused_and_changes_nothing(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    before = await footprint(demo, doc_id)
    response = await (await desk("xsx.leader")).post(
        f"/api/documents/{doc_id}/actions", json={"action": "return", "target": "step", "step": "会签",
                                                   "reason": "请会签"})
    assert response.status_code == 409 and "会签" in response.json()["detail"]
    assert await footprint(demo, doc_id) == before


async def test_a_return_without_a_reason_is_refused(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    before = await footprint(demo, doc_id)
    body = await act(await desk("xsx.leader"), doc_id, "return", expect=409, target="previous", reason=" ")
    assert "理由" in body["detail"]
    assert await footprint(demo, doc_id) == before


async def test_the_sender_withdraws_before_the_next_holder_acts(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    reviewer = await desk("xsx.reviewer")

    view = await act(reviewer, doc_id, "withdraw", reason="漏核一处")
    assert view["state"] == "in_review" and open_holders(view) == {people["xsx.reviewer"]}
    leader_task = next(t for t in view["tasks"] if t["step"] == "签发")
    assert (leader_task["status"], leader_task["outcome"]) == ("cancelled", "withdrawn")
    assert [r for r, _ in await events(demo, doc_id, "docflow.task_withdrawn")] == [people["xsx.leader"]]
    assert (await (await desk("xsx.leader")).get("/api/worklist/todo")).json()["total"] == 0
    assert (await audit_actions(demo, doc_id))[-1] == "withdraw"


async def test_withdrawing_after_the_next_holder_acted_is_refused_and_changes_nothing(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_review(desk)
    reviewer = await desk("xsx.reviewer")
    await act(reviewer, doc_id, "approve", next_holders=[people["xsx.drafter2"], people["xsx.archivist"]])
    await act(await desk("xsx.drafter2"), doc_id, "approve", opinion="同意")

    before = await footprint(demo, doc_id)
    body = await act(reviewer, doc_id, "withdraw", expect=409, reason="想再看看")
    assert "已有人办理" in body["detail"]
    assert await footprint(demo, doc_id) == before
    # The drafter's own withdrawal from 核稿 is no longer possible either: the reviewer has acted.
    body = await act(await desk("xsx.drafter"), doc_id, "withdraw", expect=409, reason="想再看看")
    assert await footprint(demo, doc_id) == before
    view = await document(reviewer, doc_id)
    assert view["state"] == "countersigning" and open_holders(view) == {people["xsx.archivist"]}
    assert len(open_tasks(view)) == 1


async def test_a_return_from_inside_countersigning_cancels_the_pending_and_comes_back_to_all_of_them(
        make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_review(desk)
    reviewer = await desk("xsx.reviewer")
    await act(reviewer, doc_id, "approve", next_holders=[people["xsx.drafter2"], people["xsx.archivist"]])

    view = await act(await desk("xsx.drafter2"), doc_id, "return", target="previous", reason="依据不足")
    assert view["state"] == "in_review" and open_holders(view) == {people["xsx.reviewer"]}
    pending = next(t for t in view["tasks"] if t["holder_id"] == people["xsx.archivist"])
    assert (pending["status"], pending["outcome"]) == ("cancelled", "superseded")
    assert [r for r, _ in await events(demo, doc_id, "docflow.task_cancelled")] == [people["xsx.archivist"]]

    # Straight back to 会签: every countersigner of that round, not only the one who returned it — the one who
    # never got to countersign must not be skipped.
    view = await act(reviewer, doc_id, "resubmit", opinion="已补充依据")
    assert view["state"] == "countersigning"
    assert open_holders(view) == {people["xsx.drafter2"], people["xsx.archivist"]}
