"""Building the response views of a document (what the reader may see and do) and of version differences."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from docflow.attachments.schemas import AttachmentOut
from docflow.attachments.service import attachments_of
from docflow.outgoing import queries
from docflow.outgoing.directory import delegations_in_force, roster_of
from docflow.outgoing.flows import flow_from_rows
from docflow.outgoing.models import Document, DocumentVersion
from docflow.outgoing.schemas import DiffRow, DocumentOut, FieldChange, TaskOut, VersionDiff
from docflow.rules import workflow
from docflow.rules.body import Block
from docflow.rules.body_diff import diff_bodies, summarise
from docflow.rules.workflow_commands import (
    Action,
    AddCountersigners,
    Approve,
    AssignNumber,
    Cancel,
    Command,
    Dispatch,
    Resubmit,
    ReturnTarget,
    ReturnTo,
    Seal,
    Submit,
    SubstantiveChange,
    Transfer,
    Urge,
    Withdraw,
)
from docflow.rules.workflow_errors import HolderNotEligible, HolderRequired, IllegalMove, ReasonRequired
from docflow.rules.workflow_state import Flow
from oa.auth.principal import Principal
from oa.database import utcnow

# Trial commands: an action is offered when the engine accepts it, or refuses it only for missing input.
_PROBES: dict[Action, Command] = {
    Action.SUBMIT: Submit(),
    Action.APPROVE: Approve(),
    Action.RETURN: ReturnTo(target=ReturnTarget.PREVIOUS, reason="?"),
    Action.RESUBMIT: Resubmit(),
    Action.WITHDRAW: Withdraw(reason="?"),
    Action.TRANSFER: Transfer(to="0"),
    Action.ADD_COUNTERSIGNER: AddCountersigners(people=("0",)),
    Action.URGE: Urge(),
    Action.SUBSTANTIVE_CHANGE: SubstantiveChange(reason="?"),
    Action.ASSIGN_NUMBER: AssignNumber(doc_number="象〔2000〕1号"),
    Action.SEAL: Seal(seal_id="probe"),
    Action.DISPATCH: Dispatch(),
    Action.CANCEL: Cancel(reason="?"),
}
_NEEDS_INPUT = (HolderRequired, HolderNotEligible, ReasonRequired)


def allowed_actions(flow: Flow, me: Principal, roster: Any, delegations: Any) -> list[Action]:
    allowed: list[Action] = []
    now = utcnow()
    for action, probe in _PROBES.items():
        try:
            workflow.apply(flow, str(me.person_id), probe, now, roster=roster, delegations=delegations)
        except _NEEDS_INPUT:
            allowed.append(action)
        except (IllegalMove, AssertionError, KeyError, ValueError):
            continue
        else:
            allowed.append(action)
    return allowed


async def document_view(session: AsyncSession, me: Principal, document: Document) -> DocumentOut:
    task_rows = await queries.tasks_of(session, document.id)
    flow = flow_from_rows(document, [t for t, _ in task_rows])
    roster = await roster_of(session, document.unit_id)
    delegations = await delegations_in_force(session, utcnow())
    attachments = await attachments_of(session, document.id)
    return DocumentOut(
        id=document.id, identifier=document.identifier, unit_id=document.unit_id, drafter_id=document.drafter_id,
        state=document.state, version=document.version, doc_number=document.doc_number, content=document.content,
        tasks=[TaskOut(task_no=t.task_no, step=t.step, holder_id=t.holder_id, holder_name=name, round=t.round,
                       status=t.status, outcome=t.outcome, opinion=t.opinion, acted_by_id=t.acted_by_id,
                       created_at=t.created_at, due_at=t.due_at, closed_at=t.closed_at) for t, name in task_rows],
        signoff=document.flow.get("signoff"),
        allowed_actions=allowed_actions(flow, me, roster, delegations),
        created_at=document.created_at, updated_at=document.updated_at,
        attachments=[AttachmentOut.model_validate(a) for a in attachments],
        attachment_notes=[f"{i}. {a.title}" for i, a in enumerate(attachments, start=1)],
    )


def _blocks(content: dict[str, Any]) -> list[Block]:
    return [Block(int(b["level"]), str(b["text"])) for b in content.get("body", [])]


def version_diff(a: DocumentVersion, a_author: str, b: DocumentVersion, b_author: str) -> VersionDiff:
    fields = [
        FieldChange(field=key, before=a.content.get(key), after=b.content.get(key))
        for key in sorted(set(a.content) | set(b.content))
        if key != "body" and a.content.get(key) != b.content.get(key)
    ]
    rows = diff_bodies(_blocks(a.content), _blocks(b.content))
    summary = summarise(rows)
    return VersionDiff(
        from_version=a.number, to_version=b.number, from_author=a_author, to_author=b_author,
        from_at=a.created_at, to_at=b.created_at, fields=fields,
        body=[DiffRow(op=r.op.value, text=r.text, old_line=r.old_line, new_line=r.new_line) for r in rows],
        added=summary.added, removed=summary.removed,
    )
