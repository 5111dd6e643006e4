"""What one app instance needs to take part in the exchange: its node id, keys, config and the worker's bell.

The lifespan builds an `ExchangeRuntime` and installs it on the instance's session factory (`install`), so a
use case that only holds a unit of work (e.g. `distribute`, called from 核发) finds the keys to sign with
(`runtime_of(session)`) and rings the worker after its transaction commits (`wake_after_commit`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from docflow.distribution.config import ExchangeConfig
from docflow.exchange.group_commit import GroupCommit
from docflow.exchange.keystore import load_or_create_keyring
from docflow.exchange.signing import NodeKeyring
from oa.services import Services

_INFO_KEY = "exchange_runtime"


@dataclass
class ExchangeRuntime:
    node_id: str
    node_name: str
    public_url: str
    keyring: NodeKeyring
    config: ExchangeConfig
    data_dir: Path
    bells: list[Callable[[], None]] = field(default_factory=list)
    # The directory as last read, and until when (monotonic seconds) it may be used without reading again:
    # every message needs it, and parsing the JWKS for each one would dominate the receive path.
    directory_cache: tuple[float, Any] | None = None
    # Received 公文 waiting for this instance's next inbox transaction (see group_commit.py).
    inbox_groups: GroupCommit[Any, Any] = field(default_factory=GroupCommit)

    def ring(self) -> None:
        for bell in self.bells:
            bell()


def session_factories(services: Services) -> list[async_sessionmaker[AsyncSession]]:
    """Every session factory of the instance: the readers' and, where the app has one, the writers'."""
    factories = [services.sessions]
    writers = getattr(services, "write_sessions", None)
    if isinstance(writers, async_sessionmaker) and writers is not services.sessions:
        factories.append(writers)
    return factories


def write_sessions(services: Services) -> async_sessionmaker[AsyncSession]:
    """Sessions for a transaction that changes rows (on SQLite they take the write lock at BEGIN)."""
    return session_factories(services)[-1]


def install(services: Services) -> ExchangeRuntime:
    """Build this instance's runtime (creating the node key on first start) and attach it to its sessions."""
    existing = services.sessions.kw.get("info", {}).get(_INFO_KEY)
    if isinstance(existing, ExchangeRuntime):
        return existing
    settings = services.settings
    runtime = ExchangeRuntime(
        node_id=settings.node_id,
        node_name=settings.node_name,
        public_url=settings.public_url,
        keyring=load_or_create_keyring(settings.keys_dir),
        config=ExchangeConfig.from_settings(settings),
        data_dir=settings.data_dir,
    )
    for factory in session_factories(services):
        info: dict[str, Any] = dict(factory.kw.get("info") or {})
        info[_INFO_KEY] = runtime
        factory.configure(info=info)
    return runtime


def runtime_of(session: AsyncSession) -> ExchangeRuntime:
    runtime = session.info.get(_INFO_KEY)
    if not isinstance(runtime, ExchangeRuntime):
        raise RuntimeError("exchange runtime not installed: call docflow.exchange.runtime.install(services) first")
    return runtime


def wake_after_commit(session: AsyncSession) -> None:
    """Ring the outbox worker once this session's transaction has committed (never before: it would find
    nothing, and never after a rollback)."""
    runtime = runtime_of(session)

    def ring(_session: Any) -> None:
        runtime.ring()

    event.listen(session.sync_session, "after_commit", ring, once=True)
