"""转交, 委托, 加签 and 催办 through the HTTP API: who ends up holding the task, what the history and the audit
trail say, and who is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from docflow.outgoing.models import Delegation
from oa.audit.models import AuditRecord
from oa.database import utcnow
from tests.docflow.helpers import (
    Desk,
    People,
    act,
    audit_actions,
    document,
    events,
    footprint,
    last_audit,
    open_holders,
    to_review,
    to_signoff,
)


async def delegate(services, people: People, person: str, to: str, *, hours: int = 24) -> None:
    """委托 as the delegation settings would store it: one row, in force from an hour ago."""
    now = utcnow()
    async with services.sessions() as session, session.begin():
        session.add(Delegation(person_id=people[person], delegate_id=people[to], starts_at=now - timedelta(hours=1),
                               ends_at=now + timedelta(hours=hours), created_at=now))


async def test_the_signer_transfers_the_task_to_a_colleague_who_then_signs(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    leader, deputy = await desk("xsx.leader"), await desk("xsx.deputy")

    view = await act(leader, doc_id, "transfer", to=people["xsx.deputy"], reason="出差，请副县长签发")
    assert view["state"] == "awaiting_signoff" and open_holders(view) == {people["xsx.deputy"]}
    moved = next(t for t in view["tasks"] if t["holder_id"] == people["xsx.leader"])
    assert (moved["status"], moved["outcome"]) == ("cancelled", "transferred")
    told = {r for r, _ in await events(demo, doc_id, "docflow.task_transferred")}
    assert told == {people["xsx.deputy"], people["xsx.drafter"]}
    assert (await leader.get("/api/worklist/todo")).json()["total"] == 0

    view = await act(deputy, doc_id, "approve", opinion="同意")
    assert view["state"] == "recheck" and view["signoff"]["signer"] == str(people["xsx.deputy"])
    assert (await audit_actions(demo, doc_id))[-2:] == ["transfer", "approve"]


async def test_transferring_to_someone_who_may_not_hold_the_step_is_refused(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    leader = await desk("xsx.leader")
    before = await footprint(demo, doc_id)
    body = await act(leader, doc_id, "transfer", expect=409, to=people["xsx.drafter2"])
    assert "签发" in body["detail"]
    body = await act(leader, doc_id, "transfer", expect=422)  # no colleague named
    assert body["errors"][0]["field"] == "to"
    assert await footprint(demo, doc_id) == before


async def test_a_delegate_signs_for_the_leader_and_history_and_audit_say_acting_for(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    now = utcnow()
    response = await (await desk("xsx.leader")).post("/api/delegations", json={
        "delegate_id": people["xsx.deputy"], "starts_at": (now - timedelta(minutes=1)).isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(), "reason": "出差"})
    assert response.status_code == 201, response.text
    deputy = await desk("xsx.deputy")

    todo = (await deputy.get("/api/worklist/todo")).json()["items"]
    assert [(i["id"], i["step"]) for i in todo] == [(doc_id, "签发")]
    assert "approve" in (await document(deputy, doc_id))["allowed_actions"]
    view = await act(deputy, doc_id, "approve", opinion="同意（代签）")

    task = next(t for t in view["tasks"] if t["step"] == "签发")
    assert (task["holder_id"], task["acted_by_id"]) == (people["xsx.leader"], people["xsx.deputy"])
    assert view["signoff"]["signer"] == str(people["xsx.leader"])
    assert view["signoff"]["by"] == str(people["xsx.deputy"])
    history = (await deputy.get(f"/api/documents/{doc_id}/history")).json()["items"]
    assert (history[-1]["actor_id"], history[-1]["acting_for_id"]) == (people["xsx.deputy"], people["xsx.leader"])
    record = await last_audit(demo, doc_id)
    assert (record.action, record.actor_id, record.acting_for_id) == (
        "docflow.document.approve", people["xsx.deputy"], people["xsx.leader"])


async def test_a_new_task_for_someone_away_is_also_announced_to_the_delegate(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    await delegate(demo, people, "xsx.leader", to="xsx.deputy")
    doc_id = await to_signoff(desk, people)
    told = {r for r, _ in await events(demo, doc_id, "docflow.new_task")}
    assert {people["xsx.leader"], people["xsx.deputy"]} <= told


async def test_an_expired_delegation_gives_the_delegate_nothing(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    now = utcnow()
    async with demo.sessions() as session, session.begin():
        session.add(Delegation(person_id=people["xsx.leader"], delegate_id=people["xsx.deputy"],
                               starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1), created_at=now))
    deputy = await desk("xsx.deputy")
    assert (await deputy.get("/api/worklist/todo")).json()["total"] == 0
    before = await footprint(demo, doc_id)
    await act(deputy, doc_id, "approve", expect=403, opinion="同意")
    assert await footprint(demo, doc_id) == before


async def test_a_countersigner_adds_another_while_countersigning_is_open_and_both_must_agree(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_review(desk)
    await act(await desk("xsx.reviewer"), doc_id, "approve", next_holders=[people["xsx.drafter2"]])
    office_a, office_b = await desk("xsx.drafter2"), await desk("xsx.archivist")

    view = await act(office_a, doc_id, "add_countersigner", people=[people["xsx.archivist"]])
    assert view["state"] == "countersigning"
    assert open_holders(view) == {people["xsx.drafter2"], people["xsx.archivist"]}
    assert (people["xsx.archivist"], "docflow.new_task") in await events(demo, doc_id)

    view = await act(office_a, doc_id, "approve", opinion="同意")
    assert view["state"] == "countersigning" and open_holders(view) == {people["xsx.archivist"]}
    view = await act(office_b, doc_id, "approve", opinion="同意", next_holders=[people["xsx.leader"]])
    assert view["state"] == "awaiting_signoff"
    assert [t["opinion"] for t in view["tasks"] if t["step"] == "会签"] == ["同意", "同意"]


async def test_adding_a_countersigner_outside_countersigning_or_adding_the_drafter_is_refused(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    before = await footprint(demo, doc_id)
    body = await act(await desk("xsx.leader"), doc_id, "add_countersigner", expect=409,
                     people=[people["xsx.drafter2"]])
    assert "加签" in body["detail"]
    assert await footprint(demo, doc_id) == before

    other = await to_review(desk, title="关于开展安全生产检查的通知")
    await act(await desk("xsx.reviewer"), other, "approve", next_holders=[people["xsx.drafter2"]])
    before = await footprint(demo, other)
    body = await act(await desk("xsx.drafter2"), other, "add_countersigner", expect=409,
                     people=[people["xsx.drafter"]])
    assert "拟稿人" in body["detail"]
    assert await footprint(demo, other) == before


async def test_the_drafter_urges_the_signer_who_gets_an_event_with_the_message(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    view = await act(await desk("xsx.drafter"), doc_id, "urge", message="汛期临近，请尽快签发")
    assert view["state"] == "awaiting_signoff"
    async with demo.sessions() as session:
        from oa.notify.models import NotificationEvent

        urged = (await session.execute(select(NotificationEvent).where(NotificationEvent.type == "docflow.urged")))
        rows = urged.scalars().all()
    assert [(e.recipient_id, e.payload["message"], e.payload["document_id"]) for e in rows] == [
        (people["xsx.leader"], "汛期临近，请尽快签发", doc_id)]
    assert (await audit_actions(demo, doc_id))[-1] == "urge"


async def test_someone_who_never_handled_the_document_may_not_urge(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_signoff(desk, people)
    outsider = await desk("xsx.drafter2")
    before = await footprint(demo, doc_id)
    body = await act(outsider, doc_id, "urge", expect=409, message="快点")
    assert "催办" in body["detail"]
    assert await footprint(demo, doc_id) == before
    async with demo.sessions() as session:
        urges = (await session.execute(select(AuditRecord).where(AuditRecord.action == "docflow.document.urge")))
        assert urges.scalars().all() == []


async def test_a_delegates_todo_merges_its_own_and_the_delegators_tasks_page_by_page(make_client, demo):
    """The reviewer handles the leader's work while the leader is away: the 待办 merges both people's open tasks in
    one order, page by page, with one total (on PostgreSQL the plain list and a search take different statements)."""
    desk, people = Desk(make_client), await People.load(demo)
    signing = [await to_signoff(desk, people, title=f"关于第{n}批防汛物资调拨的通知") for n in "一二"]
    reviewing = [await to_review(desk, title=f"关于第{n}次安全生产检查的通知") for n in "三四五"]
    await delegate(demo, people, "xsx.leader", to="xsx.reviewer")
    reviewer = await desk("xsx.reviewer")

    async def pages(**search: str) -> list[tuple[list[tuple[int, str, str | None]], int]]:
        found = []
        for number in (1, 2, 3, 4):
            body = (await reviewer.get("/api/worklist/todo", params={"page": number, "page_size": 2, **search})).json()
            found.append(([(i["id"], i["step"], i["due_at"]) for i in body["items"]], body["total"]))
        return found

    plain = await pages()
    assert plain == await pages(q="关于")
    assert [total for _, total in plain] == [5, 5, 5, 5]
    assert [len(items) for items, _ in plain] == [2, 2, 1, 0]
    listed = [item for items, _ in plain for item in items]
    assert {(d, step) for d, step, _ in listed} == {(d, "签发") for d in signing} | {(d, "核稿") for d in reviewing}
    dues = [datetime.fromisoformat(due) if due else None for _, _, due in listed]
    assert dues == sorted(dues, key=lambda due: (due is None, due or datetime.min.replace(tzinfo=UTC)))
