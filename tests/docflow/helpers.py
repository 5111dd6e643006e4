"""Helpers for the outgoing-document tests: demo people's ids, a valid draft, acting through the API, and reading
what an action left behind (task rows, audit records, notification events) straight from the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from docflow.outgoing.models import Document, DocumentAction, DocumentTask, WorkflowSetting
from docflow.rules.workflow_definition import StepKind, WorkflowDefinition, definition_to_dict, standard_definition
from oa.audit.models import AuditRecord
from oa.database import utcnow
from oa.notify.models import NotificationEvent
from oa.org.models import Person, Unit


def notice(title: str = "关于做好2026年防汛防台工作的通知", **overrides: Any) -> dict[str, Any]:
    content = {
        "doc_type": "通知",
        "title": title,
        "urgency": "加急",
        "publication_level": "不公开",
        "issuer_mark": "象山县人民政府文件",
        "issuer_names": ["象山县人民政府"],
        "daizi": "象政发",
        "main_recipients": [{"unit_code": "DDJD", "name": "丹东街道"}, {"unit_code": "SPZ", "name": "石浦镇"},
                            {"unit_code": "XZZ", "name": "西周镇"}],
        "copy_recipients": [{"unit_code": None, "name": "县委办公室"}],
        "body": [
            {"level": 0, "text": "为切实做好今年防汛防台工作，现将有关事项通知如下。"},
            {"level": 1, "text": "提高思想认识"},
            {"level": 0, "text": "各地各部门要充分认识防汛防台工作的重要性。"},
            {"level": 1, "text": "落实工作责任"},
            {"level": 2, "text": "明确责任主体"},
            {"level": 0, "text": "各镇乡街道主要负责人为第一责任人。"},
        ],
        "notes": "",
        "printing_organ": "象山县人民政府办公室",
    }
    content.update(overrides)
    return content


async def person_id(client: Any, username: str) -> int:
    people = (await client.get("/api/people", params={"q": username})).json()["items"]
    return next(p["id"] for p in people if p["username"] == username)


async def act(client: Any, document_id: int, action: str, expect: int = 200, **fields: Any) -> dict[str, Any]:
    response = await client.post(f"/api/documents/{document_id}/actions", json={"action": action, **fields})
    assert response.status_code == expect, f"{action}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


async def create(client: Any, expect: int = 201, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/documents", json={"content": notice(**overrides)})
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def save(client: Any, document_id: int, base_version: int, expect: int = 200, summary: str = "",
               **overrides: Any) -> dict[str, Any]:
    response = await client.put(f"/api/documents/{document_id}/content",
                                json={"base_version": base_version, "content": notice(**overrides),
                                      "summary": summary})
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def document(client: Any, document_id: int, expect: int = 200) -> dict[str, Any]:
    response = await client.get(f"/api/documents/{document_id}")
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


def open_tasks(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in view["tasks"] if t["status"] == "open"]


def open_holders(view: dict[str, Any]) -> set[int]:
    return {t["holder_id"] for t in open_tasks(view)}


class People:
    """Demo usernames → person ids, read once from the database (people of other units are not listed to a
    business user through the API)."""

    def __init__(self, ids: dict[str, int]) -> None:
        self._ids = ids

    def __getitem__(self, username: str) -> int:
        return self._ids[username]

    @classmethod
    async def load(cls, services: Any) -> People:
        async with services.sessions() as session:
            rows = (await session.execute(select(Person.username, Person.id))).all()
        return cls({u: i for u, i in rows})


class Desk:
    """Signed-in clients by username, created on first use: `desk["xsx.reviewer"]` acts as that person."""

    def __init__(self, make_client: Any, *, timeout: float | None = None) -> None:
        self._make = make_client
        self._timeout = timeout
        self._clients: dict[str, Any] = {}

    async def __call__(self, username: str) -> Any:
        if username not in self._clients:
            client = self._make()
            if self._timeout is not None:
                client.timeout = httpx.Timeout(self._timeout)
            await client.sign_in(username)
            self._clients[username] = client
        return self._clients[username]


@dataclass(frozen=True)
class Footprint:
    """Everything an action could change: compared before and after a refused action to prove nothing did."""

    state: str
    version: int
    doc_number: str | None
    tasks: tuple[tuple[Any, ...], ...]
    actions: int
    audit: int
    events: int


async def footprint(services: Any, document_id: int) -> Footprint:
    async with services.sessions() as session:
        doc = await session.get(Document, document_id)
        assert doc is not None
        tasks = (await session.execute(
            select(DocumentTask.task_no, DocumentTask.step, DocumentTask.holder_id, DocumentTask.status,
                   DocumentTask.outcome, DocumentTask.opinion, DocumentTask.acted_by_id, DocumentTask.due_at)
            .where(DocumentTask.document_id == document_id).order_by(DocumentTask.task_no))).all()
        actions = (await session.execute(select(func.count()).select_from(DocumentAction)
                                         .where(DocumentAction.document_id == document_id))).scalar_one()
        # Sign-ins write audit records too: count the document's own, so a lazily signed-in client is no change.
        audit = (await session.execute(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.target_type == "document", AuditRecord.target_id == str(document_id)))).scalar_one()
        events = (await session.execute(select(func.count()).select_from(NotificationEvent))).scalar_one()
        return Footprint(doc.state.value, doc.version, doc.doc_number, tuple(tuple(t) for t in tasks), actions,
                         audit, events)


async def audit_actions(services: Any, document_id: int) -> list[str]:
    """The workflow's audit records of one document, oldest first, without the `docflow.document.` prefix (other
    parts write their own records about a document too, e.g. distribution after 核发)."""
    async with services.sessions() as session:
        rows = (await session.execute(
            select(AuditRecord.action).where(AuditRecord.target_type == "document",
                                             AuditRecord.target_id == str(document_id),
                                             AuditRecord.action.startswith("docflow.document."))
            .order_by(AuditRecord.id))).scalars().all()
    return [a.removeprefix("docflow.document.") for a in rows]


async def last_audit(services: Any, document_id: int) -> AuditRecord:
    async with services.sessions() as session:
        row = (await session.execute(
            select(AuditRecord).where(AuditRecord.target_type == "document",
                                      AuditRecord.target_id == str(document_id))
            .order_by(AuditRecord.id.desc()).limit(1))).scalar_one()
    return row


async def events(services: Any, document_id: int, type_: str | None = None) -> list[tuple[int, str]]:
    """(recipient, type) of the notification events about one document, in the order they were written."""
    async with services.sessions() as session:
        rows = (await session.execute(select(NotificationEvent).order_by(NotificationEvent.id))).scalars().all()
    return [(e.recipient_id, e.type) for e in rows
            if e.payload.get("document_id") == document_id and (type_ is None or e.type == type_)]


async def event_count(services: Any) -> int:
    async with services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(NotificationEvent))).scalar_one())


async def set_workflow(services: Any, unit_code: str, definition: WorkflowDefinition) -> None:
    """Store a unit's workflow the way the settings would: one WorkflowSetting row.

    The unit is read in a transaction of its own: on SQLite a transaction that reads first and then writes can
    be refused at once ("database is locked") when the app's background workers hold the write lock.
    """
    async with services.sessions() as session:
        unit_id = (await session.execute(select(Unit.id).where(Unit.code == unit_code))).scalar_one()
    async with services.sessions() as session, session.begin():
        session.add(WorkflowSetting(unit_id=unit_id, definition=definition_to_dict(definition), updated_at=utcnow()))


def with_step(definition: WorkflowDefinition, kind: StepKind, **changes: Any) -> WorkflowDefinition:
    """The definition with one step changed, e.g. `with_step(d, StepKind.COUNTERSIGN, policy=quorum(2))`."""
    from dataclasses import replace

    steps = tuple(replace(s, **changes) if s.kind is kind else s for s in definition.steps)
    return WorkflowDefinition(definition.unit_code, steps, name=definition.name)


def standard(unit_code: str = "XSX") -> WorkflowDefinition:
    return standard_definition(unit_code)



async def to_review(desk: Desk, **overrides: Any) -> int:
    """A fresh draft by xsx.drafter, submitted to 核稿 (xsx.reviewer, the unit's only reviewer)."""
    drafter = await desk("xsx.drafter")
    doc = await create(drafter, **overrides)
    await act(drafter, doc["id"], "submit", opinion="请审核")
    return int(doc["id"])


async def to_signoff(desk: Desk, people: People, signer: str = "xsx.leader", **overrides: Any) -> int:
    """Through 核稿 without 会签, waiting for `signer` at 签发."""
    doc_id = await to_review(desk, **overrides)
    await act(await desk("xsx.reviewer"), doc_id, "approve", opinion="核稿同意", skip=["会签"],
              next_holders=[people[signer]])
    return doc_id


async def to_register(desk: Desk, people: People, **overrides: Any) -> int:
    """Signed off by xsx.leader, 复核 skipped: waiting for xsx.registrar at 登记."""
    doc_id = await to_signoff(desk, people, **overrides)
    await act(await desk("xsx.leader"), doc_id, "approve", opinion="同意印发", skip=["复核"])
    return doc_id
