"""Automatic 催办 of outgoing-document tasks: the holder is told once when a task's deadline is near, and once more
(with the drafter) when it has passed. Run periodically by the app (see docflow/incoming/reminders.ReminderTask)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from docflow.outgoing.models import Document, DocumentTask
from docflow.rules.workflow_state import TaskStatus
from oa.auth.principal import RequestContext
from oa.services import Services


async def send_task_reminders(services: Services, now: datetime, before: timedelta) -> int:
    """Emit the due reminders in one transaction; return how many tasks were reminded."""
    async with services.unit_of_work(None, RequestContext(ip="reminders")) as uow:
        session = uow.session
        rows = (
            await session.execute(
                select(DocumentTask, Document.title, Document.drafter_id, Document.unit_id)
                .join(Document, Document.id == DocumentTask.document_id)
                .where(
                    DocumentTask.status == TaskStatus.OPEN, DocumentTask.due_at.is_not(None),
                    DocumentTask.due_at <= now + before,
                    or_(DocumentTask.reminded_near_at.is_(None),
                        and_(DocumentTask.due_at < now, DocumentTask.reminded_overdue_at.is_(None))),
                )
                .with_for_update(of=DocumentTask)
            )
        ).all()
        for task, title, drafter_id, unit_id in rows:
            assert task.due_at is not None
            overdue = task.due_at < now
            payload = {"document_id": task.document_id, "task_no": task.task_no, "step": task.step.value,
                       "title": title, "due_at": task.due_at.isoformat()}
            if overdue:
                recipients = sorted({task.holder_id, drafter_id})
                uow.notify(recipients, "docflow.overdue", payload)
                task.reminded_overdue_at = now
                task.reminded_near_at = task.reminded_near_at or now
            else:
                uow.notify([task.holder_id], "docflow.near_deadline", payload)
                task.reminded_near_at = now
            uow.audit("docflow.document.remind", target_type="document", target_id=task.document_id,
                      unit_id=unit_id, detail={"task_no": task.task_no, "overdue": overdue})
        if rows:
            await uow.commit()
        return len(rows)
