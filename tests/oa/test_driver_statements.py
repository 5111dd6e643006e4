"""The writes sent to asyncpg directly (`oa.database.driver`) belong to the session's transaction: they commit and
roll back with it, also when they are the transaction's first statement, and a connection lost under them is
reported as SQLAlchemy reports it, so the request answers 503."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from oa.audit.models import AuditChainHead, AuditRecord
from oa.auth.principal import RequestContext
from oa.database import driver

pytestmark = pytest.mark.postgres_only

CONTEXT = RequestContext(ip="127.0.0.1", request_id="driver-test")


async def _records(services) -> int:
    async with services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(AuditRecord))).scalar_one())


async def _head_hash(services) -> str:
    async with services.sessions() as session:
        return str((await session.execute(select(AuditChainHead.last_hash))).scalar_one())


async def test_a_write_sent_first_in_the_transaction_rolls_back_with_it(services):
    before = await _head_hash(services)
    async with services.unit_of_work(None, CONTEXT) as uow:
        async with driver(uow.session) as conn:  # nothing went through SQLAlchemy yet
            assert conn.is_in_transaction()
            await conn.execute("UPDATE audit_chain_head SET last_hash = 'not committed' WHERE id = 1")
        assert await _head_hash(services) == before  # another session does not see it
    assert await _head_hash(services) == before  # and the unit of work rolled it back


async def test_a_write_sent_first_in_the_transaction_commits_with_it(services):
    before = await _records(services)
    async with services.unit_of_work(None, CONTEXT) as uow:
        async with driver(uow.session) as conn:
            await conn.execute("UPDATE audit_chain_head SET last_id = last_id WHERE id = 1")
        uow.audit("test.after-a-direct-write")
        await uow.commit()
    assert await _records(services) == before + 1


async def test_the_audit_append_commits_with_the_unit_of_work(services):
    before = await _records(services)
    async with services.unit_of_work(None, CONTEXT) as uow:
        uow.audit("test.committed", detail={"说明": "直写"})
        await uow.commit()
    assert await _records(services) == before + 1
    async with services.sessions() as session:
        record = (await session.execute(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1))).scalar_one()
    assert (record.action, record.detail, record.request_id) == ("test.committed", {"说明": "直写"}, "driver-test")


async def test_a_connection_lost_under_a_direct_write_is_reported_as_invalidated(services):
    dsn = services.settings.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    async with services.unit_of_work(None, CONTEXT) as uow:
        async with driver(uow.session) as conn:
            pid = conn.get_server_pid()
        admin = await asyncpg.connect(dsn)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1, 5000)", pid)  # waits until it is gone
        finally:
            await admin.close()
        with pytest.raises(DBAPIError) as raised:
            async with driver(uow.session) as conn:
                await conn.execute("SELECT 1")
        assert raised.value.connection_invalidated


async def test_each_transaction_of_a_session_gets_its_own_begun_connection(services):
    """The connection is looked up once per transaction: a session's next transaction must not reuse the last one's
    (released to the pool, outside any transaction, its writes would commit on their own)."""
    before = await _head_hash(services)
    async with services.write_sessions() as session:
        async with session.begin(), driver(session) as conn:
            await conn.execute("UPDATE audit_chain_head SET last_hash = last_hash WHERE id = 1")
        await session.begin()
        async with driver(session) as conn:
            assert conn.is_in_transaction()
            await conn.execute("UPDATE audit_chain_head SET last_hash = 'not committed' WHERE id = 1")
        await session.rollback()
    assert await _head_hash(services) == before


async def test_a_session_without_a_transaction_is_refused_rather_than_writing_on_its_own(services):
    """On an autocommit engine each statement would commit by itself, outside any unit of work: refused."""
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    engine = create_async_engine(services.settings.database_url, isolation_level="AUTOCOMMIT")
    try:
        async with AsyncSession(engine) as session:
            with pytest.raises(RuntimeError, match="autocommit"):
                async with driver(session) as conn:
                    await conn.execute("UPDATE audit_chain_head SET last_id = last_id WHERE id = 1")
    finally:
        await engine.dispose()
