"""The workbench badges over the event stream follow the lists they stand for."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from sqlalchemy import select, update
from websockets.asyncio.client import connect

from docflow.badges import count_docflow_badges
from docflow.incoming.queries import list_incoming
from docflow.incoming.schemas import IncomingListQuery
from docflow.outgoing import queries as outgoing
from docflow.outgoing.models import Delegation, DocumentTask
from docflow.outgoing.schemas import ListQuery
from oa.auth.service import principal_of
from oa.database import utcnow
from oa.org.models import Person
from oa.org.roles import BUSINESS_ROLES, Role
from tests.docflow.helpers import act, notice, person_id
from tests.incoming.helpers import Desks, dispatch_notice, eventually, inbox, incoming_act


async def badges_until(ws, predicate, timeout: float = 15) -> dict:
    async def read() -> dict:
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "badges" and predicate(frame["data"]):
                return frame["data"]

    return await asyncio.wait_for(read(), timeout)


async def test_a_new_task_raises_the_holders_todo_badge_live(server, make_client):
    drafter, reviewer = make_client(), make_client()
    await drafter.sign_in("xsx.drafter")
    token = (await reviewer.post("/api/auth/token", json={"username": "xsx.reviewer", "password": "demo12345"})
             ).json()["access_token"]
    ws_url = server.url.replace("http://", "ws://") + "/ws/events"
    async with connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}, proxy=None) as ws:
        first = await badges_until(ws, lambda data: "todo" in data)
        assert first == {"todo": 0, "overdue": 0, "to_read": 0, "unsigned": 0}
        created = (await drafter.post("/api/documents", json={"content": notice()})).json()
        await act(drafter, created["id"], "submit")
        raised = await badges_until(ws, lambda data: data.get("todo") == 1)
        assert raised["todo"] == 1


async def test_administrators_get_no_document_badges(server, client):
    token = (await client.post("/api/auth/token", json={"username": "sysadmin", "password": "demo12345"})
             ).json()["access_token"]
    ws_url = server.url.replace("http://", "ws://") + "/ws/events"
    async with connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}, proxy=None) as ws:
        data = await badges_until(ws, lambda data: "todo" in data)
    assert set(data.values()) == {0}


async def test_the_badges_of_everyone_counted_at_once_match_each_persons_lists(make_client, demo):
    """The batched count must agree with the lists each badge opens, for every person of the county, across
    outgoing tasks (own and delegated, overdue or not) and incoming documents in every waiting state."""
    desk = Desks(make_client)
    await dispatch_notice(desk)  # every recipient unit's registrars: 未签收
    # 丹东街道: one document signed for and registered (文书待办), one up to the leader's 批示 (领导待办)
    registrar = await desk("ddjd.registrar")
    await eventually(lambda: inbox(registrar, "unsigned"), lambda items: len(items) == 1)
    await dispatch_notice(desk, title="关于开展安全生产大检查的通知")
    await eventually(lambda: inbox(registrar, "unsigned"), lambda items: len(items) == 2)
    first, second = [item["id"] for item in await inbox(registrar, "unsigned")]
    for action in ("sign_for", "register"):
        await incoming_act(registrar, first, action)
    for action in ("sign_for", "register", "accept"):
        await incoming_act(registrar, second, action)
    await incoming_act(registrar, second, "propose", text="请领导批示",
                       leader_id=await person_id(registrar, "ddjd.leader"))
    # 西周镇: a circulation to three readers, one of whom has read it (待阅)
    xzz = await desk("xzz.registrar")
    await eventually(lambda: inbox(xzz, "unsigned"), lambda items: len(items) == 2)
    circulated = (await inbox(xzz, "unsigned"))[0]["id"]
    for action in ("sign_for", "register", "accept"):
        await incoming_act(xzz, circulated, action)
    readers = [await person_id(xzz, name) for name in ("xzz.leader", "xzz.deputy", "xzz.drafter")]
    await incoming_act(xzz, circulated, "circulate", readers=readers)
    await incoming_act(await desk("xzz.leader"), circulated, "read")
    # 发文: a notice waiting at the reviewer, overdue, whose tasks the deputy also handles by 委托
    drafter = await desk("xsx.drafter")
    draft = (await drafter.post("/api/documents", json={"content": notice("关于报送年度工作总结的通知")})).json()
    await act(drafter, draft["id"], "submit")
    now = utcnow()
    async with demo.sessions() as session, session.begin():
        people = dict((await session.execute(select(Person.username, Person.id))).all())
        await session.execute(update(DocumentTask).where(DocumentTask.document_id == draft["id"])
                              .values(due_at=now - timedelta(hours=1)))
        session.add(Delegation(person_id=people["xsx.reviewer"], delegate_id=people["xsx.deputy"],
                               starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), created_at=now))

    async with demo.sessions() as session:
        everyone = list(people.values())
        batched = await count_docflow_badges(session, everyone, utcnow())
        nonzero = 0
        for username, pid in people.items():
            person = await session.get(Person, pid)
            assert person is not None
            if not person.role_set & BUSINESS_ROLES:
                assert pid not in batched, username
                continue
            me = principal_of(person, None)
            todo = (await outgoing.todo(session, me, ListQuery(page_size=200), utcnow()))[1]
            overdue = (await outgoing.todo(session, me, ListQuery(page_size=200, overdue=True), utcnow()))[1]
            boxes = {box: (await list_incoming(session, me, IncomingListQuery(box=box, page_size=200))).total
                     for box in ("todo", "toread", "unsigned")}
            expected = {"todo": todo + boxes["todo"], "overdue": overdue, "to_read": boxes["toread"],
                        "unsigned": boxes["unsigned"] if me.has(Role.REGISTRAR) else 0}
            assert batched[pid] == expected, username
            nonzero += any(expected.values())
    assert batched[people["xsx.deputy"]]["overdue"] == 1 and batched[people["xzz.deputy"]]["to_read"] == 1
    assert batched[people["xzz.leader"]]["to_read"] == 0 and batched[people["ddjd.leader"]]["todo"] == 1
    assert nonzero >= 7  # registrars, leaders, readers, the reviewer and the delegate all have something waiting
