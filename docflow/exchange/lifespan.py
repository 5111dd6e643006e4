"""Starting and stopping this instance's part of the exchange with the app: the runtime, the outbox worker
and the periodic 催办 reminders of incoming documents."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from starlette.applications import Starlette

from docflow.distribution.worker import OutboxWorker
from docflow.exchange.runtime import install
from docflow.incoming.reminders import ReminderTask


@contextlib.asynccontextmanager
async def exchange_lifespan(app: Starlette) -> AsyncIterator[None]:
    services = app.state.services
    runtime = install(services)
    app.state.exchange_runtime = runtime
    worker = OutboxWorker(services, runtime)
    reminders = ReminderTask(services, timedelta(hours=runtime.config.remind_before_hours))
    if runtime.config.run_worker:
        await worker.start()
        await reminders.start()
    try:
        yield
    finally:
        await reminders.stop()
        await worker.stop()
