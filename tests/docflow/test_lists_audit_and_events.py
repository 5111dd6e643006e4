"""What each action leaves behind: exactly one audit record, the notification events for the people concerned, and
the personal lists (待办, 已办, 我的草稿, 我发起的) and workbench counts moving with it; overdue tasks show as such."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from docflow.outgoing.models import DocumentTask
from docflow.rules.workflow_state import TaskStatus
from oa.database import utcnow
from tests.docflow.helpers import Desk, People, act, audit_actions, create, events, to_review


async def ids_in(client: Any, path: str, **params: Any) -> list[int]:
    response = await client.get(f"/api/worklist/{path}", params=params)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == len(page["items"])  # one page in these tests: the total agrees with the items
    return [item["id"] for item in page["items"]]


async def counts(client: Any) -> dict[str, int]:
    response = await client.get("/api/workbench/counts")
    assert response.status_code == 200, response.text
    body: dict[str, int] = response.json()
    return body


async def test_each_action_writes_one_audit_record_and_tells_exactly_the_people_concerned(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    drafter, reviewer = await desk("xsx.drafter"), await desk("xsx.reviewer")
    leader, registrar = await desk("xsx.leader"), await desk("xsx.registrar")
    doc_id = (await create(drafter))["id"]
    d, r, lead, reg = (people[u] for u in ("xsx.drafter", "xsx.reviewer", "xsx.leader", "xsx.registrar"))

    steps: list[tuple[Any, str, dict[str, Any], set[tuple[int, str]]]] = [
        (drafter, "submit", {"opinion": "请审核"}, {(r, "docflow.new_task")}),
        (reviewer, "approve", {"skip": ["会签"], "next_holders": [lead]},
         {(lead, "docflow.new_task"), (d, "docflow.step_completed")}),
        (drafter, "urge", {"message": "请尽快"}, {(lead, "docflow.urged")}),
        (leader, "return", {"target": "previous", "reason": "请补充依据"},
         {(r, "docflow.returned"), (d, "docflow.returned"), (r, "docflow.new_task")}),
        (reviewer, "resubmit", {"opinion": "已补充"},
         {(lead, "docflow.new_task"), (d, "docflow.step_completed")}),
        (leader, "approve", {"opinion": "同意", "skip": ["复核"]},
         {(d, "docflow.signed_off"), (d, "docflow.step_completed"), (reg, "docflow.new_task")}),
        (registrar, "assign_number", {}, {(d, "docflow.numbered")}),
        (registrar, "approve", {"opinion": "已登记"}, {(d, "docflow.step_completed"), (reg, "docflow.new_task")}),
        (registrar, "seal", {}, {(d, "docflow.sealed"), (d, "docflow.step_completed"), (reg, "docflow.new_task")}),
    ]
    for client, action, fields, expected in steps:
        audit_before, events_before = len(await audit_actions(demo, doc_id)), len(await events(demo, doc_id))
        await act(client, doc_id, action, **fields)
        trail = await audit_actions(demo, doc_id)
        assert trail[audit_before:] == [action], action
        assert set((await events(demo, doc_id))[events_before:]) == expected, action

    # 核发 also hands the document to distribution, which tells the receiving units in its own events.
    audit_before, events_before = len(await audit_actions(demo, doc_id)), len(await events(demo, doc_id))
    await act(registrar, doc_id, "dispatch", opinion="核发")
    assert (await audit_actions(demo, doc_id))[audit_before:] == ["dispatch"]
    told = set((await events(demo, doc_id))[events_before:])
    assert {(d, "docflow.dispatched"), (lead, "docflow.dispatched")} <= told
    assert not {(r, t) for r, t in told if t.startswith("docflow.") and t != "docflow.dispatched"
                and r in (d, lead)}


async def test_the_lists_and_counts_follow_the_document(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    drafter, reviewer, leader = await desk("xsx.drafter"), await desk("xsx.reviewer"), await desk("xsx.leader")
    first = (await create(drafter, title="关于做好2026年防汛防台工作的通知"))["id"]
    second = (await create(drafter, title="关于开展安全生产大检查的通知"))["id"]
    assert set(await ids_in(drafter, "drafts")) == {first, second}
    assert set(await ids_in(drafter, "todo")) == {first, second}  # a draft is the drafter's own 拟稿 task
    assert await ids_in(drafter, "sent") == []
    assert await counts(drafter) == {"todo": 2, "overdue": 0, "drafts": 2, "to_read": 0, "unsigned": 0}

    await act(drafter, first, "submit")
    assert await ids_in(drafter, "drafts") == [second]
    assert await ids_in(drafter, "sent") == [first]
    assert await ids_in(drafter, "done") == [first]
    assert await ids_in(reviewer, "todo") == [first]
    assert await counts(drafter) == {"todo": 1, "overdue": 0, "drafts": 1, "to_read": 0, "unsigned": 0}
    assert await counts(reviewer) == {"todo": 1, "overdue": 0, "drafts": 0, "to_read": 0, "unsigned": 0}

    await act(reviewer, first, "approve", skip=["会签"], next_holders=[people["xsx.leader"]])
    assert await ids_in(reviewer, "todo") == []
    assert await ids_in(reviewer, "done") == [first]
    assert await ids_in(leader, "todo") == [first]
    assert (await counts(reviewer))["todo"] == 0 and (await counts(leader))["todo"] == 1

    # Filters: title words and 文种.
    assert await ids_in(drafter, "drafts", q="安全生产") == [second]
    assert await ids_in(drafter, "drafts", q="防汛") == []
    assert await ids_in(drafter, "sent", doc_type="函") == []
    assert await ids_in(drafter, "sent", doc_type="通知") == [first]
    # A percent sign is a character to look for, not a wildcard.
    assert await ids_in(drafter, "drafts", q="%") == []


async def test_an_overdue_task_shows_as_overdue_in_the_todo_list_and_the_counts(make_client, demo):
    desk = Desk(make_client)
    on_time, late = await to_review(desk), await to_review(desk, title="关于报送2026年度工作总结的通知")
    reviewer = await desk("xsx.reviewer")
    async with demo.sessions() as session, session.begin():
        await session.execute(update(DocumentTask).where(DocumentTask.document_id == late,
                                                         DocumentTask.status == TaskStatus.OPEN)
                              .values(due_at=utcnow() - timedelta(hours=2)))
    page = (await reviewer.get("/api/worklist/todo")).json()
    flags = {item["id"]: item["overdue"] for item in page["items"]}
    assert flags == {on_time: False, late: True}
    assert page["items"][0]["id"] == late  # the most pressing first
    assert await ids_in(reviewer, "todo", overdue="true") == [late]
    assert await counts(reviewer) == {"todo": 2, "overdue": 1, "drafts": 0, "to_read": 0, "unsigned": 0}


async def test_every_page_of_a_list_reports_the_same_total(make_client, demo):
    drafter = await Desk(make_client)("xsx.drafter")
    for i in range(3):
        await create(drafter, title=f"关于第{i}批防汛物资调拨的通知")
    pages = [(await drafter.get("/api/worklist/drafts", params={"page": p, "page_size": 2})).json() for p in (1, 2, 3)]
    assert [(len(p["items"]), p["total"]) for p in pages] == [(2, 3), (1, 3), (0, 3)]
    assert len({i["id"] for p in pages for i in p["items"]}) == 3


async def test_every_page_of_the_todo_reports_the_same_total_searched_or_not(make_client, demo):
    """The 待办's total rides on its page (one statement): a full page, the last page, past the end and a search
    each tell the same total as the list has."""
    desk = Desk(make_client)
    for title in ("关于第一批防汛物资调拨的通知", "关于第二批防汛物资调拨的通知", "关于召开安全生产会议的通知"):
        await to_review(desk, title=title)
    reviewer = await desk("xsx.reviewer")

    async def page(number: int, size: int, **search: Any) -> tuple[int, int]:
        body = (await reviewer.get("/api/worklist/todo", params={"page": number, "page_size": size, **search})).json()
        return len(body["items"]), body["total"]

    assert [await page(p, 2) for p in (1, 2, 3)] == [(2, 3), (1, 3), (0, 3)]
    assert [await page(p, 1, q="防汛物资") for p in (1, 2, 3)] == [(1, 2), (1, 2), (0, 2)]
    assert await page(1, 20, q="没有这样的标题") == (0, 0)


async def test_the_plain_todo_and_a_search_matching_every_item_give_the_same_page(make_client, demo):
    """On PostgreSQL the plain 待办 is a hand-written statement and a search is built by SQLAlchemy: the two must
    list the same items, fields and order (deadline first, no deadline last, newest first), overdue flagged."""
    desk = Desk(make_client)
    titles = ("关于第一批防汛物资调拨的通知", "关于召开安全生产会议的通知", "关于报送2026年度工作总结的通知")
    doc_ids = [await to_review(desk, title=title) for title in titles]
    async with demo.sessions() as session, session.begin():
        for doc_id, due in zip(doc_ids, (timedelta(hours=-2), None, timedelta(days=3)), strict=True):
            await session.execute(update(DocumentTask).where(DocumentTask.document_id == doc_id,
                                                             DocumentTask.status == TaskStatus.OPEN)
                                  .values(due_at=None if due is None else utcnow() + due))
    reviewer = await desk("xsx.reviewer")
    plain = (await reviewer.get("/api/worklist/todo")).json()
    searched = (await reviewer.get("/api/worklist/todo", params={"q": "关于"})).json()
    assert plain == searched
    assert [(i["id"], i["overdue"]) for i in plain["items"]] == [(doc_ids[0], True), (doc_ids[2], False),
                                                                (doc_ids[1], False)]
    assert {i["step"] for i in plain["items"]} == {"核稿"} and plain["total"] == 3
