"""Automatic 催办: a periodic task that reminds the holders of an incoming document before its deadline and
again once it is overdue (each reminder once per deadline; a new 交办 with a new deadline re-arms them)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from docflow.exchange.runtime import ExchangeRuntime
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
    def __init__(self, services: Services, runtime: ExchangeRuntime) -> None:
        self.services = services
        self.before = timedelta(hours=runtime.config.remind_before_hours)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="incoming-reminders")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await send_reminders(self.services, utcnow(), self.before)
                await send_task_reminders(self.services, utcnow(), self.before)
            except asyncio.CancelledError:
                raise
            except Exception:  # keep reminding on the next round even if this one failed
                log.exception("incoming reminders failed")
            await asyncio.sleep(REMINDER_INTERVAL_SECONDS)
