"""The audit trail: one record per change in the same transaction, hash-chained, checked by `oa audit verify`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from sqlalchemy import delete, select, text, update

from oa.audit.models import AuditRecord
from oa.auth.principal import RequestContext


async def run_verify(settings) -> subprocess.CompletedProcess[str]:
    """Run `oa audit verify` as a separate process, without blocking the app served in this event loop."""
    env = {**os.environ, "OA_DATABASE_URL": settings.database_url, "OA_DATA_DIR": str(settings.data_dir),
           "OA_KEYS_DIR": str(settings.keys_dir)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "oa.cli", "audit", "verify", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return subprocess.CompletedProcess(["oa", "audit", "verify"], process.returncode or 0, out.decode(), err.decode())


async def make_changes(client) -> None:
    await client.sign_in("sysadmin")
    for i in range(3):
        r = await client.post("/api/units", json={"code": f"T{i}", "name": f"测试单位{i}号", "short_name": f"测试{i}",
                                                  "kind": "town"})
        assert r.status_code == 201


async def test_each_change_leaves_one_audit_record_with_who_what_where(client, server):
    await make_changes(client)
    async with server.app.state.services.sessions() as session:
        rows = (await session.execute(
            select(AuditRecord).where(AuditRecord.action == "org.unit.create").order_by(AuditRecord.id))).scalars().all()
    assert [r.target_type for r in rows] == ["unit"] * 3
    assert all(r.actor_name and r.ip == "127.0.0.1" and r.request_id and r.outcome.value == "success" for r in rows)
    assert rows[0].detail["code"] == "T0"


async def test_oa_audit_verify_passes_on_an_intact_trail(client, server):
    await make_changes(client)
    result = await run_verify(server.app.state.services.settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "intact" in result.stdout


@pytest.mark.parametrize("tamper", ["change-detail", "change-actor", "delete-middle", "delete-last"])
async def test_oa_audit_verify_detects_a_changed_or_deleted_record(client, server, tamper):
    await make_changes(client)
    services = server.app.state.services
    async with services.sessions() as session, session.begin():
        ids = (await session.execute(select(AuditRecord.id).order_by(AuditRecord.id))).scalars().all()
        middle, last = ids[len(ids) // 2], ids[-1]
        if tamper == "change-detail":
            await session.execute(update(AuditRecord).where(AuditRecord.id == middle).values(detail={"x": 1}))
        elif tamper == "change-actor":
            await session.execute(update(AuditRecord).where(AuditRecord.id == middle).values(actor_name="别人"))
        elif tamper == "delete-middle":
            await session.execute(delete(AuditRecord).where(AuditRecord.id == middle))
        else:
            await session.execute(delete(AuditRecord).where(AuditRecord.id == last))
    result = await run_verify(services.settings)
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
    expected = last if tamper == "delete-last" else middle
    assert f"record {expected}" in result.stdout


async def test_a_rolled_back_change_leaves_no_audit_record(demo):
    async with demo.sessions() as session:
        before = (await session.execute(text("SELECT count(*) FROM audit_log"))).scalar_one()
    with pytest.raises(RuntimeError):
        async with demo.unit_of_work(None, RequestContext()) as uow:
            uow.audit("test.never")
            await uow.session.execute(text("UPDATE units SET name = 'x' WHERE code = 'XSX'"))
            raise RuntimeError("the use case failed half way")
    async with demo.sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM audit_log"))).scalar_one() == before
        assert (await session.execute(text("SELECT name FROM units WHERE code='XSX'"))).scalar_one() != "x"


async def test_a_commit_without_an_audit_record_is_refused(demo):
    async with demo.unit_of_work(None, RequestContext()) as uow:
        await uow.session.execute(text("UPDATE units SET name = 'y' WHERE code = 'XSX'"))
        with pytest.raises(RuntimeError, match="audit"):
            await uow.commit()


@pytest.mark.postgres_only
async def test_concurrent_changes_keep_the_chain_gapless_and_intact(make_client, server):
    clients = [make_client() for _ in range(8)]
    for c in clients:
        await c.sign_in("sysadmin")

    async def create(c, i):
        r = await c.post("/api/units", json={"code": f"C{i}", "name": f"并发单位{i}", "short_name": f"并发{i}",
                                             "kind": "town"})
        assert r.status_code == 201, r.text

    await asyncio.gather(*(create(clients[i % 8], i) for i in range(80)))
    from oa.audit.service import verify

    async with server.app.state.services.sessions() as session:
        report = await verify(session)
        count = (await session.execute(text("SELECT count(*) FROM audit_log WHERE action='org.unit.create'"))).scalar_one()
    assert report.ok, report.reason
    assert count == 80


def _whole_canonical_text(fields) -> str:
    """The canonical text as the chain first defined it: every field, the id included, dumped as one object."""
    import json
    from dataclasses import asdict

    from oa.audit.chain import _timestamp

    body = asdict(fields) | {"at": _timestamp(fields.at)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize("record_id", [1, 10, 9_876_543_210])
@pytest.mark.parametrize("detail", [{}, {"id": 7, "note": "含\"引号\"与\\反斜杠", "嵌套": {"b": [1, None], "a": "一"}}])
def test_the_text_around_the_id_is_the_whole_canonical_text(record_id, detail):
    """PostgreSQL hashes a record from the text before and after its id (the head gives the id), the verifier from
    the whole text: the two must be one text, byte for byte, or every record written on PostgreSQL fails to verify."""
    from datetime import UTC, datetime

    from oa.audit.chain import ChainFields, canonical_around_id

    for actor in [(None, None, None, None), (3, "张三", 4, 12)]:
        fields = ChainFields(
            id=record_id, at=datetime(2026, 12, 5, 3, 4, 5, 678, tzinfo=UTC), actor_id=actor[0], actor_name=actor[1],
            acting_for_id=actor[2], unit_id=actor[3], action="docflow.document.approve", target_type="document",
            target_id="42", ip="10.1.2.3", request_id="r-1", outcome="success", detail=detail)
        before, after = canonical_around_id(fields)
        assert f"{before}{record_id}{after}" == _whole_canonical_text(fields)


async def test_several_records_of_one_transaction_are_numbered_and_hashed_in_order(services):
    """A unit of work with several records (a group commit of exchange messages has one per message): on PostgreSQL
    the statement that locks the head numbers and hashes them, and the chain they make verifies in Python."""
    from oa.audit.chain import ChainFields, record_hash
    from oa.audit.models import AuditChainHead
    from oa.audit.service import verify

    async with services.sessions() as session:
        last_id, last_hash = (await session.execute(select(AuditChainHead.last_id, AuditChainHead.last_hash))).one()
    async with services.unit_of_work(None, RequestContext(ip="127.0.0.1", request_id="group")) as uow:
        for i in range(3):
            uow.audit("test.grouped", target_type="message", target_id=f"m{i}", detail={"第": i, "id": i})
        await uow.commit()
    async with services.sessions() as session:
        records = (await session.execute(
            select(AuditRecord).where(AuditRecord.id > last_id).order_by(AuditRecord.id))).scalars().all()
        head = (await session.execute(select(AuditChainHead.last_id, AuditChainHead.last_hash))).one()
        report = await verify(session)
    assert [r.id for r in records] == [last_id + 1, last_id + 2, last_id + 3]
    assert [r.target_id for r in records] == ["m0", "m1", "m2"]
    prev = last_hash
    for r in records:
        fields = ChainFields(r.id, r.at, r.actor_id, r.actor_name, r.acting_for_id, r.unit_id, r.action,
                             r.target_type, r.target_id, r.ip, r.request_id, r.outcome.value, r.detail)
        assert (r.prev_hash, r.hash) == (prev, record_hash(prev, fields))
        prev = r.hash
    assert tuple(head) == (records[-1].id, records[-1].hash)
    assert report.ok, report.reason
