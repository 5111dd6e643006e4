"""Concurrency proofs on PostgreSQL (real row locks), many clients at once through the HTTP API:
50 countersigners approving together advance the document once and lose no opinion; 200 documents of one 代字
series numbered at once get 1..200 without gap or duplicate; concurrent saves of one document have one winner."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from docflow.numbering.models import IssuedNumber, NumberCounter
from docflow.outgoing.models import Document, DocumentTask
from docflow.rules.doc_number import parse_doc_number
from oa.org.models import Person
from tests.docflow.helpers import (
    Desk,
    People,
    act,
    audit_actions,
    create,
    document,
    events,
    footprint,
    notice,
    open_holders,
    to_register,
    to_review,
)

pytestmark = pytest.mark.postgres_only
# Fifty requests queue on one document's row lock, on a machine shared with other test runs: wait long enough
# that only a real hang fails, never a busy machine.
PATIENCE = 180.0


async def fifty_countersigners(services: Any) -> list[str]:
    """Fifty business people across the county's units (never the drafter, who may not countersign)."""
    async with services.sessions() as session:
        usernames = (await session.execute(
            select(Person.username).where(Person.username.not_like("xsx.%"), Person.username.not_like("%admin"))
            .order_by(Person.id))).scalars().all()
    return list(usernames[:50])


async def test_fifty_countersigners_approving_at_once_advance_the_document_exactly_once(make_client, demo):
    desk, people = Desk(make_client, timeout=PATIENCE), await People.load(demo)
    signers = await fifty_countersigners(demo)
    # One after another: fifty Argon2 sign-ins at once would only measure the password hashing.
    signed_in = [await desk(u) for u in signers]
    doc_id = await to_review(desk)
    view = await act(await desk("xsx.reviewer"), doc_id, "approve", next_holders=[people[u] for u in signers])
    assert len(open_holders(view)) == 50
    # Fresh connections for the burst: a keep-alive connection idle since its sign-in may be closed by the server
    # just as the burst reuses it, which would test the HTTP client, not the workflow.
    clients = []
    for old in signed_in:
        client = make_client()
        client.timeout, client.cookies = httpx.Timeout(PATIENCE), old.cookies
        client.headers["X-Requested-With"] = "oa"
        clients.append(client)

    async def approve(client: Any, username: str) -> int:
        response = await client.post(f"/api/documents/{doc_id}/actions", json={
            "action": "approve", "opinion": f"{username} 会签同意", "next_holders": [people["xsx.leader"]]})
        return int(response.status_code)

    statuses = await asyncio.gather(*(approve(c, u) for c, u in zip(clients, signers, strict=True)))
    assert statuses == [200] * 50

    async with demo.sessions() as session:
        tasks = (await session.execute(select(DocumentTask).where(DocumentTask.document_id == doc_id))).scalars().all()
    countersign = [t for t in tasks if t.step.value == "会签"]
    assert sorted(t.opinion for t in countersign) == sorted(f"{u} 会签同意" for u in signers)
    assert {(t.status.value, t.outcome and t.outcome.value) for t in countersign} == {("done", "approved")}
    assert [(t.holder_id, t.status.value) for t in tasks if t.step.value == "签发"] == [(people["xsx.leader"], "open")]
    completed = [e for e in await events(demo, doc_id, "docflow.step_completed")]
    assert len(completed) == 2  # 核稿 once, 会签 once: never one per countersigner
    assert (await audit_actions(demo, doc_id)).count("approve") == 51
    assert (await document(await desk("xsx.leader"), doc_id))["state"] == "awaiting_signoff"


async def clone_at_registration(services: Any, template_id: int, copies: int) -> list[int]:
    """`copies` more documents in the state of `template_id` (waiting at 登记), inserted as rows: driving 200
    documents through six steps over HTTP would prove nothing more about numbering and take minutes."""
    async with services.sessions() as session, session.begin():
        template = await session.get(Document, template_id)
        assert template is not None
        task_rows = (await session.execute(
            select(DocumentTask).where(DocumentTask.document_id == template_id))).scalars().all()
        ids = []
        for _ in range(copies):
            clone = Document(**{c.key: getattr(template, c.key) for c in Document.__table__.columns if c.key != "id"})
            clone.identifier = str(uuid.uuid4())
            session.add(clone)
            await session.flush()
            session.add_all(DocumentTask(**{c.key: getattr(t, c.key) for c in DocumentTask.__table__.columns
                                            if c.key not in ("id", "document_id")}, document_id=clone.id)
                            for t in task_rows)
            ids.append(clone.id)
    return ids


async def test_two_hundred_numbers_taken_at_once_are_one_to_two_hundred_without_gap_or_duplicate(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    first = await to_register(desk, people)
    doc_ids = [first, *await clone_at_registration(demo, first, 199)]
    registrars = [make_client() for _ in range(8)]
    for client in registrars:
        client.timeout = httpx.Timeout(PATIENCE)
        await client.sign_in("xsx.registrar")

    async def number(i: int, doc_id: int) -> str:
        body = await act(registrars[i % len(registrars)], doc_id, "assign_number")
        return str(body["doc_number"])

    numbers = await asyncio.gather(*(number(i, d) for i, d in enumerate(doc_ids)))
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    parsed = [parse_doc_number(n) for n in numbers]
    assert {(p.daizi, p.year) for p in parsed} == {("象政发", year)}
    assert sorted(p.seq for p in parsed) == list(range(1, 201))
    async with demo.sessions() as session:
        issued = (await session.execute(select(IssuedNumber.seq, IssuedNumber.document_id))).all()
        counter = (await session.execute(select(NumberCounter.last_seq))).scalars().all()
        stored = dict((await session.execute(select(Document.id, Document.doc_number))).all())
    assert sorted(s for s, _ in issued) == list(range(1, 201))
    assert sorted(d for _, d in issued) == sorted(doc_ids)
    assert counter == [200]
    assert [stored[d] for d in doc_ids] == numbers


async def test_concurrent_saves_of_one_document_have_exactly_one_winner(make_client, demo):
    desk = Desk(make_client)
    doc_id = (await create(await desk("xsx.drafter")))["id"]
    editors = [make_client() for _ in range(10)]
    for client in editors:
        await client.sign_in("xsx.drafter")

    async def save(i: int, client: Any) -> int:
        response = await client.put(f"/api/documents/{doc_id}/content", json={
            "base_version": 1, "content": notice(title=f"第{i}稿：关于做好防汛防台工作的通知"), "summary": f"第{i}稿"})
        return int(response.status_code)

    statuses = await asyncio.gather(*(save(i, c) for i, c in enumerate(editors)))
    assert sorted(statuses) == [200] + [409] * 9
    winner = statuses.index(200)
    view = await document(editors[0], doc_id)
    assert view["version"] == 2 and view["content"]["title"].startswith(f"第{winner}稿")
    versions = (await editors[0].get(f"/api/documents/{doc_id}/versions")).json()["items"]
    assert [v["number"] for v in versions] == [1, 2]


async def test_a_double_click_on_approve_counts_once(make_client, demo):
    desk, people = Desk(make_client), await People.load(demo)
    doc_id = await to_review(desk)
    clicks = [make_client() for _ in range(2)]
    for client in clicks:
        await client.sign_in("xsx.reviewer")
    statuses = await asyncio.gather(*(
        c.post(f"/api/documents/{doc_id}/actions", json={"action": "approve", "skip": ["会签"],
                                                         "next_holders": [people["xsx.leader"]]}) for c in clicks))
    assert sorted(r.status_code for r in statuses) == [200, 409]
    after = await footprint(demo, doc_id)
    assert after.state == "awaiting_signoff" and after.actions == 3  # create, submit, one approve
    assert [t[2] for t in after.tasks if t[1].value == "签发"] == [people["xsx.leader"]]
