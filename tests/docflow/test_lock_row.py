"""`oa.database.lock_row`, which every workflow action starts with: on PostgreSQL it reads the document through
asyncpg and makes the ORM object itself. The object must be the one the ORM would have loaded (same values, same
types, persistent, nothing pending), hold the row lock until commit, and be the session's one object for the row."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect, select

from docflow.outgoing.models import Document
from oa.auth.principal import RequestContext
from oa.database import lock_row
from tests.docflow.helpers import Desk, to_review

CONTEXT = RequestContext(ip="127.0.0.1", request_id="lock-row")


async def test_the_locked_document_is_the_object_the_orm_loads(make_client, demo):
    doc_id = await to_review(Desk(make_client))
    async with demo.sessions() as session:
        loaded = (await session.execute(select(Document).where(Document.id == doc_id))).scalar_one()
        expected = {c.key: getattr(loaded, c.key) for c in inspect(Document).column_attrs}
    async with demo.unit_of_work(None, CONTEXT) as uow:
        document = await lock_row(uow.session, Document, doc_id)
        assert document is not None
        state = inspect(document)
        assert state.persistent and not uow.session.dirty and not uow.session.new
        values = {c.key: getattr(document, c.key) for c in inspect(Document).column_attrs}
        assert values == expected
        assert {k: type(v) for k, v in values.items()} == {k: type(v) for k, v in expected.items()}
        assert all(v.tzinfo is not None for v in values.values() if hasattr(v, "tzinfo"))
        # Changed like any loaded object: the change is flushed, and only the changed column.
        document.title = "关于做好2026年防汛防台工作的紧急通知"
        assert set(state.committed_state) == {"title"}
        uow.audit("test.lock-row")
        await uow.commit()
    async with demo.sessions() as session:
        assert (await session.get(Document, doc_id)).title == "关于做好2026年防汛防台工作的紧急通知"


async def test_a_session_keeps_one_object_per_row_and_a_missing_row_is_none(make_client, demo):
    doc_id = await to_review(Desk(make_client))
    async with demo.unit_of_work(None, CONTEXT) as uow:
        held = await uow.session.get(Document, doc_id)
        assert await lock_row(uow.session, Document, doc_id) is held
        assert await lock_row(uow.session, Document, 987_654_321) is None


@pytest.mark.postgres_only
async def test_the_row_stays_locked_until_the_holder_commits(make_client, demo):
    doc_id = await to_review(Desk(make_client))
    order: list[str] = []
    first_has_it = asyncio.Event()

    async def first() -> None:
        async with demo.unit_of_work(None, CONTEXT) as uow:
            await lock_row(uow.session, Document, doc_id)
            first_has_it.set()
            await asyncio.sleep(0.3)
            order.append("first commits")
            uow.audit("test.lock-row.first")
            await uow.commit()

    async def second() -> None:
        await first_has_it.wait()
        async with demo.unit_of_work(None, CONTEXT) as uow:
            await lock_row(uow.session, Document, doc_id)
            order.append("second has it")

    await asyncio.gather(first(), second())
    assert order == ["first commits", "second has it"]


@pytest.mark.postgres_only
async def test_a_process_whose_first_orm_use_is_the_lock_gets_its_document(make_client, demo):
    """An app node's first request may be an action: the object is made without the constructor, so the mappings
    must be set up by the lock itself (a fresh process has none; this test process set them up long ago)."""
    import sys
    import textwrap

    doc_id = await to_review(Desk(make_client))
    script = textwrap.dedent(f"""
        import asyncio
        from sqlalchemy.ext.asyncio import create_async_engine, AsyncSession
        from docflow.outgoing.models import Document
        from oa.database import lock_row

        async def main():
            engine = create_async_engine({demo.settings.database_url!r})
            async with AsyncSession(engine) as session, session.begin():
                document = await lock_row(session, Document, {doc_id})
                print(document.id, document.state.value)
            await engine.dispose()

        asyncio.run(main())
    """)
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()[-2000:]
    assert out.decode().split() == [str(doc_id), "in_review"]
