"""The unit of work: one transaction that carries the change, its audit records and its notification events.

Use cases open one, change rows, call `audit(...)` and `notify(...)`, then `commit()`. Nothing is committed unless
`commit()` is reached; events are published only after the commit succeeded, so nobody is ever told about a change
that was rolled back. A commit without an audit record is refused: every state change leaves a trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oa.audit import service as audit_service
from oa.audit.models import Outcome
from oa.audit.service import AuditEntry
from oa.auth.principal import Principal, RequestContext
from oa.database import flush_pending, utcnow
from oa.notify import service as notify_service
from oa.notify.bus import EventBus
from oa.notify.service import PendingEvent


class UnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bus: EventBus,
        *,
        actor: Principal | None,
        context: RequestContext,
    ) -> None:
        self._sessions = sessions
        self._bus = bus
        self.actor = actor
        self.context = context
        self.now: datetime = utcnow()
        self._audit: list[AuditEntry] = []
        self._events: list[PendingEvent] = []
        self._committed = False
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        await self._session.begin()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is None:
            return
        try:
            if not self._committed:
                await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None

    def audit(
        self,
        action: str,
        *,
        target_type: str | None = None,
        target_id: str | int | None = None,
        unit_id: int | None = None,
        detail: dict[str, Any] | None = None,
        outcome: Outcome = Outcome.SUCCESS,
        acting_for_id: int | None = None,
        context: RequestContext | None = None,
    ) -> None:
        """Record `action`; `context` names another request than the unit of work's own (a group commit stores
        several requests' messages in one transaction, each audited with the request that delivered it)."""
        self._audit.append(
            AuditEntry(
                action=action,
                at=self.now,
                actor=self.actor,
                context=context or self.context,
                target_type=target_type,
                target_id=None if target_id is None else str(target_id),
                unit_id=unit_id,
                outcome=outcome,
                detail=detail or {},
                acting_for_id=acting_for_id,
            )
        )

    def notify(self, recipients: Iterable[int], type_: str, payload: dict[str, Any] | None = None) -> None:
        self._events.append(PendingEvent(tuple(recipients), type_, payload or {}))

    async def commit(self) -> None:
        if not self._audit:
            raise RuntimeError("a state change must write an audit record before it commits")
        session = self.session
        await flush_pending(session)
        woken = await notify_service.write_events(session, self._events, self.now)
        # The audit head is locked last, so the cluster-wide serialisation point is held only for the commit.
        await audit_service.append(session, self._audit)
        await session.commit()
        self._committed = True
        await self._bus.publish(woken)
