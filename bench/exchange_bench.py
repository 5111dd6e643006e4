"""Documents per second from node A to node B (built, signed, sent, verified, stored, receipted) against raw HTTP
POSTs of the same bytes to a bare endpoint.

Node B runs as a real `oa serve` process (its own database, keys and event loop, on its own core); node A's
outbox worker runs in this process, as in the app. Each round: N documents with a small attachment are handed to
`distribute` (the 核发 hook: envelope, node signature, outbox row) and the worker delivers them until every 送达
receipt is verified and recorded. The baseline POSTs the very same bodies, with the same client (the worker's
HttpLanes) and concurrency, to a bare Starlette endpoint that only reads the body. Rounds alternate A/B; the
table shows the medians. "Time in distribute" is the wall time of handing the N documents over, including the
bench's own creation of their rows (document and attachment), as it always was.

    .venv/bin/python bench/exchange_bench.py                 # SQLite, 500 documents, 3 rounds
    .venv/bin/python bench/exchange_bench.py --db postgresql --documents 1000 --rounds 3

PostgreSQL: two databases `oa_exchange_bench_{a,b}_<pid>` are created next to OA_BENCH_POSTGRES_URL's (default
postgresql://postgres@127.0.0.1:5432/postgres) and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from docflow.attachments.blobs import BlobStore  # noqa: E402
from docflow.attachments.models import DocumentAttachment  # noqa: E402
from docflow.distribution.http_lanes import HttpLanes  # noqa: E402
from docflow.distribution.models import OutboxMessage, OutboxStatus  # noqa: E402
from docflow.distribution.service import distribute  # noqa: E402
from docflow.distribution.worker import OutboxWorker  # noqa: E402
from docflow.exchange.directory import Node  # noqa: E402
from docflow.exchange.directory_store import save_local_node, save_remote_node  # noqa: E402
from docflow.exchange.keystore import load_or_create_keyring  # noqa: E402
from docflow.exchange.outgoing import INBOX_PATH  # noqa: E402
from docflow.exchange.runtime import install  # noqa: E402
from docflow.outgoing.models import Document  # noqa: E402
from docflow.rules.workflow_state import DocState  # noqa: E402
from oa.auth.principal import RequestContext  # noqa: E402
from oa.demo.load import load_demo  # noqa: E402
from oa.migrate import upgrade_async  # noqa: E402
from oa.org.models import Person, Unit  # noqa: E402
from oa.services import Services  # noqa: E402
from oa.settings import Settings  # noqa: E402

B_UNITS = ["DDJD", "SPZ"]
CONCURRENCY = 32
ADMIN_URL = os.environ.get("OA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ATTACHMENT = b"%PDF-1.7\n" + b"small attachment, about four kilobytes. " * 100
BARE_APP = """
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

async def inbox(request):
    await request.body()
    return Response(b"ok", media_type="application/xml")

app = Starlette(routes=[Route(PATH, inbox, methods=["POST"])])
""".replace("PATH", repr(INBOX_PATH))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(timeout=1) as client:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"server exited with {process.returncode}")
            try:
                await client.get(url + "/healthz")
                return
            except httpx.HTTPError:
                await asyncio.sleep(0.05)
    raise SystemExit("server did not start")


async def database_urls(kind: str, work: Path) -> tuple[str, str]:
    if kind == "sqlite":
        return (f"sqlite+aiosqlite:///{work / 'a.db'}", f"sqlite+aiosqlite:///{work / 'b.db'}")
    names = [f"oa_exchange_bench_{n}_{os.getpid()}" for n in ("a", "b")]

    async def create() -> None:
        conn = await asyncpg.connect(ADMIN_URL)
        for name in names:
            await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    await create()
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return (f"{base}/{names[0]}", f"{base}/{names[1]}")


async def drop_databases(*urls: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        for url in urls:
            await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


def node_settings(url: str, work: Path, node: str, public_url: str) -> Settings:
    return Settings.from_environ({"OA_DATABASE_URL": url, "OA_DATA_DIR": str(work / node),
                                  "OA_KEYS_DIR": str(work / node / "keys"), "OA_NODE_ID": node,
                                  "OA_PUBLIC_URL": public_url, "OA_LOG_JSON": "false", "OA_EXCHANGE_WORKER": "false",
                                  "OA_FRONTEND_DIR": str(work / "none"), "OA_EXCHANGE_CONCURRENCY": str(CONCURRENCY)})


async def prepare(services: Services) -> None:
    async with services.unit_of_work(None, RequestContext(ip="bench")) as uow:
        await load_demo(uow)
        await uow.commit()


async def link(a: Services, b: Services, a_url: str, b_url: str) -> None:
    ra, rb = install(a), install(b)
    async with a.unit_of_work(None, RequestContext(ip="bench")) as uow:
        units = list((await uow.session.execute(select(Unit.code))).scalars())
        await save_remote_node(uow.session, ra, Node("node-b", "B", b_url, frozenset(B_UNITS), rb.keyring.published()))
        await save_local_node(uow.session, ra, name="A", base_url=a_url, units=[u for u in units if u not in B_UNITS])
        uow.audit("bench.link")
        await uow.commit()
    async with b.unit_of_work(None, RequestContext(ip="bench")) as uow:
        await save_remote_node(uow.session, rb, Node("node-a", "A", a_url,
                                                     frozenset(u for u in units if u not in B_UNITS),
                                                     ra.keyring.published()))
        await save_local_node(uow.session, rb, name="B", base_url=b_url, units=B_UNITS)
        uow.audit("bench.link")
        await uow.commit()


async def make_documents(a: Services, count: int) -> list[int]:
    """`count` notices to DDJD/SPZ (on B), each with one small attachment, ready for 核发 (not timed: the source
    documents exist before anything is exchanged)."""
    store = BlobStore(a.settings.data_dir)
    sha = __import__("hashlib").sha256(ATTACHMENT).hexdigest()
    path = store.path_of(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ATTACHMENT)
    ids: list[int] = []
    async with a.unit_of_work(None, RequestContext(ip="bench")) as uow:
        session = uow.session
        unit_id = (await session.execute(select(Unit.id).where(Unit.code == "XSX"))).scalar_one()
        drafter = (await session.execute(select(Person.id).where(Person.username == "xsx.drafter"))).scalar_one()
        for n in range(count):
            code = B_UNITS[n % 2]
            document = Document(
                identifier=str(uuid.uuid4()), unit_id=unit_id, drafter_id=drafter, state=DocState.DISPATCHED,
                doc_type="通知", title=f"关于做好冬季安全生产工作的通知（{n}）", urgency=None, daizi="象政发",
                doc_number=f"象政发〔2026〕{n + 1}号", version=1, flow={}, created_at=uow.now, updated_at=uow.now,
                content={"issuer_names": ["象山县人民政府"], "issuer_mark": "象山县人民政府文件",
                         "publication_level": "不公开", "main_recipients": [{"unit_code": code, "name": code}],
                         "copy_recipients": [], "body": [{"level": 0, "text": "请认真做好冬季安全生产工作。"}]},
            )
            session.add(document)
            await session.flush()
            ids.append(document.id)
            session.add(DocumentAttachment(document_id=document.id, title="检查表", filename="检查表.pdf",
                                           media_type="application/pdf", size=len(ATTACHMENT), sha256=sha,
                                           sm3="0" * 64, uploaded_by_id=drafter, uploaded_at=uow.now))
        uow.audit("bench.documents")
        await uow.commit()
    return ids


async def distribute_all(a: Services, ids: list[int]) -> None:
    """核发's share of the exchange for every document: envelope, node signature, outbox row, one commit."""
    async with a.unit_of_work(None, RequestContext(ip="bench")) as uow:
        documents = (await uow.session.execute(select(Document).where(Document.id.in_(ids)))).scalars().all()
        for document in documents:
            await distribute(uow, document)
        await uow.commit()


async def ours(a: Services, count: int) -> tuple[float, float]:
    """(documents/s end to end, seconds spent in distribute) for one round."""
    runtime = install(a)
    ids = await make_documents(a, count)
    started = time.perf_counter()
    await distribute_all(a, ids)
    distributed = time.perf_counter()
    worker = OutboxWorker(a, runtime)
    await worker.start()
    try:
        while True:
            async with a.sessions() as session:
                pending = (await session.execute(select(func.count()).select_from(OutboxMessage)
                                                 .where(OutboxMessage.status != OutboxStatus.DONE))).scalar_one()
            if pending == 0:
                break
            worker.ring()
            await asyncio.sleep(0.01)
    finally:
        await worker.stop()
    elapsed = time.perf_counter() - started
    return count / elapsed, distributed - started


async def bodies(a: Services, count: int) -> list[tuple[bytes, str]]:
    async with a.sessions() as session:
        rows = (await session.execute(select(OutboxMessage.body, OutboxMessage.signature)
                                      .order_by(OutboxMessage.id.desc()).limit(count))).all()
    return [(body, signature) for body, signature in rows]


async def raw(url: str, messages: list[tuple[bytes, str]], concurrency: int) -> float:
    # The outbox worker's own HTTP client (HttpLanes: `concurrency` POSTs over pools of 4 connections), so the
    # baseline is the fastest this client does the POSTs, not a slower configuration of it.
    client = HttpLanes(concurrency, 30.0)
    try:
        async def one(body: bytes, signature: str) -> None:
            response = await client.post(url + INBOX_PATH, content=body,
                                         headers={"Content-Type": "application/xml", "X-Exchange-Signature":
                                                  signature, "X-Exchange-Version": "1.0"})
            assert response.status_code == 200

        started = time.perf_counter()
        await asyncio.gather(*(one(b, s) for b, s in messages))
        return len(messages) / (time.perf_counter() - started)
    finally:
        await client.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    url_a, url_b = await database_urls(args.db, work)
    a_port, b_port, bare_port = free_port(), free_port(), free_port()
    a_url, b_url, bare_url = (f"http://127.0.0.1:{p}" for p in (a_port, b_port, bare_port))
    settings_a, settings_b = node_settings(url_a, work, "node-a", a_url), node_settings(url_b, work, "node-b", b_url)
    for settings in (settings_a, settings_b):
        await upgrade_async(settings)
    load_or_create_keyring(settings_b.keys_dir)
    a, b = Services.create(settings_a), Services.create(settings_b)
    await prepare(a)
    await prepare(b)
    await link(a, b, a_url, b_url)
    await b.close()

    env = {**os.environ, **{k: v for k, v in settings_b.extra.items()}, "OA_LOG_LEVEL": "WARNING"}
    oa_bin = str(Path(sys.executable).parent / "oa")
    node_b = subprocess.Popen([oa_bin, "serve", "--port", str(b_port)], env=env, stdout=subprocess.DEVNULL)
    (work / "bare.py").write_text(BARE_APP)
    bare = subprocess.Popen([sys.executable, "-m", "uvicorn", "bare:app", "--port", str(bare_port), "--loop", "uvloop",
                             "--http", "httptools", "--no-access-log", "--log-level", "warning"], cwd=work)
    try:
        await wait_ready(b_url, node_b)
        await asyncio.sleep(1.0)  # the bare server has no /healthz: give it a moment
        ours_rates, raw_rates, distribute_times = [], [], []
        await ours(a, 50)  # warm-up (connections, caches)
        for _ in range(args.rounds):
            rate, distribute_seconds = await ours(a, args.documents)
            ours_rates.append(rate)
            distribute_times.append(distribute_seconds)
            raw_rates.append(await raw(bare_url, await bodies(a, args.documents), CONCURRENCY))
    finally:
        node_b.terminate()
        bare.terminate()
        node_b.wait(timeout=10)
        await a.close()
        if args.db == "postgresql":
            await drop_databases(url_a, url_b)
    mine, baseline = statistics.median(ours_rates), statistics.median(raw_rates)
    print(f"\nexchange A → B: {args.documents} documents/round, {args.rounds} rounds, db={args.db}, "
          f"nproc={os.cpu_count()}, attachment {len(ATTACHMENT)} B")
    print("| path | documents/s (median) | rounds |")
    print("|---|---|---|")
    print(f"| raw POST of the same bytes to a bare endpoint | {baseline:,.0f} | "
          f"{', '.join(f'{r:,.0f}' for r in raw_rates)} |")
    print(f"| ours: distribute + sign + send + verify + store + receipt | {mine:,.0f} | "
          f"{', '.join(f'{r:,.0f}' for r in ours_rates)} |")
    print(f"| ratio ours / raw | {mine / baseline:.2f} | |")
    print(f"| time in distribute (build + sign + outbox), s | {statistics.median(distribute_times):.2f} | |")
    print(f"target ≥ 200 documents/s: {'met' if mine >= 200 else 'NOT met'}")


if __name__ == "__main__":
    asyncio.run(main())
