"""Automatic 催办: a periodic task that reminds the holders of an incoming document before its deadline and
again once it is overdue (each reminder once per deadline; a new 交办 with a new deadline re-arms them)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from docflow.incoming.intake import people_with_role
from docflow.incoming.models import IncomingDocument
from docflow.incoming.rules import State
from docflow.incoming.service import holders_of
from docflow.outgoing.reminders import send_task_reminders
from oa.auth.principal import RequestContext
from oa.database import utcnow
from oa.org.roles import Role
from oa.services import Services

log = logging.getLogger("docflow.incoming")
REMINDER_INTERVAL_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0  # a round is a few statements; one still running after this is stuck


async def send_reminders(services: Services, now: datetime, before: timedelta) -> int:
    """Emit the due reminders (events to the holders and the unit's registrars); return how many were sent."""
    async with services.unit_of_work(None, RequestContext(ip="reminders")) as uow:
        session = uow.session
        rows = (
            await session.execute(
                select(IncomingDocument).where(
                    IncomingDocument.state == State.IN_PROGRESS, IncomingDocument.deadline.is_not(None),
                    IncomingDocument.deadline <= now + before,
                    (IncomingDocument.reminded_before_at.is_(None)) | (
                        (IncomingDocument.deadline < now) & IncomingDocument.reminded_overdue_at.is_(None)),
                ).with_for_update()
            )
        ).scalars().all()
        for row in rows:
            assert row.deadline is not None
            overdue = row.deadline < now
            kind = "incoming.overdue" if overdue else "incoming.deadline_near"
            people = set(await holders_of(session, row)) | set(await people_with_role(session, row.unit_id,
                                                                                     Role.REGISTRAR))
            uow.notify(sorted(people), kind, {"incoming_id": row.id, "title": row.title,
                                              "deadline": row.deadline.isoformat()})
            if overdue:
                row.reminded_overdue_at = now
                row.reminded_before_at = row.reminded_before_at or now
            else:
                row.reminded_before_at = now
            uow.audit("docflow.incoming.remind", target_type="incoming_document", target_id=row.id,
                      unit_id=row.unit_id, detail={"overdue": overdue, "deadline": row.deadline.isoformat()})
        if rows:
            await uow.commit()
        return len(rows)


class ReminderTask:
    """Runs a reminder round every REMINDER_INTERVAL_SECONDS until stopped.

    `stop` lets a round in progress finish and only then returns (it cancels only a round that hangs): a round
    cancelled midway could leave a database connection being opened outside the pool, never closed, and its
    reminders half sent until the next start."""

    def __init__(self, services: Services, before: timedelta) -> None:
        self.services = services
        self.before = before
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="incoming-reminders")

    async def stop(self) -> None:
        self._stopping.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=STOP_GRACE_SECONDS)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await send_reminders(self.services, utcnow(), self.before)
                await send_task_reminders(self.services, utcnow(), self.before)
            except Exception:  # keep reminding on the next round even if this one failed
                log.exception("incoming reminders failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=REMINDER_INTERVAL_SECONDS)
