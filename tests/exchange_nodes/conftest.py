"""Two real nodes on loopback: node A on the test database, node B on a database of its own (a second SQLite
file, or a second PostgreSQL database), each a uvicorn server with its own services, keys and outbox worker.

B hosts 丹东街道 (DDJD) and 石浦镇 (SPZ); A hosts every other unit of the demo county. The administrators
exchange their directories through the API before a test starts, as they would between two counties' nodes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from oa.database import Base
from oa.migrate import upgrade
from oa.services import Services
from oa.settings import Settings
from tests.conftest import Client, Databases, free_port

B_UNITS = ["DDJD", "SPZ"]
PG_ADMIN_URL = os.environ.get("OA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class NodeServer:
    """A uvicorn server for one node, in this process (the node's services stay usable by the test)."""

    def __init__(self, services: Services, port: int | None = None) -> None:
        from oa.web.app import create_app

        self.services = services
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(services.settings, services=services)
        self.server: uvicorn.Server | None = None
        self.task: asyncio.Task[Any] | None = None

    async def start(self) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, loop="none", http="httptools",
                                access_log=False, log_config=None, lifespan="on", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self.server is not None and self.task is not None and not self.task.done():
            self.server.should_exit = True
            await self.task


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _truncate(url: str) -> None:
    import asyncpg

    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        await conn.execute("INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (1, 0, $1)", "0" * 64)
    finally:
        await conn.close()


class SecondPostgres:
    """Node B's own PostgreSQL database, created and migrated once per session, emptied for each test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.name = f"oa_test_b_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.url: str | None = None

    def get(self) -> str:
        if self.url is None:
            asyncio.run(_pg_admin(f'CREATE DATABASE "{self.name}"'))
            base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
            self.url = f"{base}/{self.name}"
            upgrade(Settings.from_environ({"OA_DATABASE_URL": self.url, "OA_DATA_DIR": str(self.root)}))
        asyncio.run(_truncate(self.url))
        return self.url

    def drop(self) -> None:
        if self.url is not None:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def second_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecondPostgres]:
    db = SecondPostgres(tmp_path_factory.mktemp("node-b-pg"))
    yield db
    db.drop()


FAST_RETRIES = {"OA_EXCHANGE_RETRY_BASE_SECONDS": "0.1", "OA_EXCHANGE_RETRY_CAP_SECONDS": "0.5",
                "OA_EXCHANGE_MAX_ATTEMPTS": "10000", "OA_EXCHANGE_POLL_SECONDS": "0.2",
                "OA_EXCHANGE_TIMEOUT_SECONDS": "5"}


def node_settings(base: Settings, node_id: str, database_url: str, workdir: Path, **extra: str) -> Settings:
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**base.extra, **FAST_RETRIES, "OA_NODE_ID": node_id, **extra}
    return dataclasses.replace(base, database_url=database_url, data_dir=workdir, keys_dir=workdir / "keys",
                               node_id=node_id, node_name=f"节点 {node_id}", extra=env)


async def load_demo(services: Services) -> None:
    from oa.auth.principal import RequestContext
    from oa.demo.load import load_demo as load

    async with services.unit_of_work(None, RequestContext(ip="test")) as uow:
        await load(uow)
        await uow.commit()


@dataclasses.dataclass
class TwoNodes:
    a: NodeServer
    b: NodeServer
    admin_a: Client
    admin_b: Client
    clients: list[Client]

    def client(self, node: NodeServer) -> Client:
        c = Client(base_url=node.url, timeout=30)
        self.clients.append(c)
        return c

    async def desk(self, node: NodeServer, username: str) -> Client:
        c = self.client(node)
        await c.sign_in(username)
        return c


async def link(nodes: TwoNodes) -> None:
    """Each administrator sets their node's entry, then imports the other's exported directory."""
    units = [u["code"] for u in (await nodes.admin_a.get("/api/units")).json()["items"]]
    response = await nodes.admin_b.put("/api/exchange/local-node",
                                       json={"name": "节点 B", "base_url": nodes.b.url, "units": B_UNITS})
    assert response.status_code == 204, response.text
    a_units = [u for u in units if u not in B_UNITS]
    response = await nodes.admin_a.put("/api/exchange/local-node",
                                       json={"name": "节点 A", "base_url": nodes.a.url, "units": a_units})
    assert response.status_code == 204, response.text
    for source, target in ((nodes.admin_b, nodes.admin_a), (nodes.admin_a, nodes.admin_b)):
        exported = (await source.get("/api/exchange/directory")).json()
        response = await target.post("/api/exchange/directory/import", json={"directory": exported})
        assert response.status_code == 200, response.text


@pytest.fixture
def b_database_url(db_kind: str, databases: Databases, second_postgres: SecondPostgres, tmp_path: Path) -> str:
    """Node B's database: a second SQLite file, or the second PostgreSQL database (same kind as node A's)."""
    if db_kind == "sqlite":
        b_db_dir = tmp_path / "b-db"
        b_db_dir.mkdir()
        return databases.sqlite_url(b_db_dir)
    return second_postgres.get()


@pytest.fixture
async def two_nodes(settings: Settings, b_database_url: str, tmp_path: Path) -> AsyncIterator[TwoNodes]:
    b_url = b_database_url
    a_services = Services.create(node_settings(settings, "node-a", settings.database_url, tmp_path / "a"))
    b_services = Services.create(node_settings(settings, "node-b", b_url, tmp_path / "b",
                                               OA_EXCHANGE_MAX_BYTES="2000000"))
    await load_demo(a_services)
    await load_demo(b_services)
    a, b = NodeServer(a_services), NodeServer(b_services)
    await a.start()
    await b.start()
    nodes = TwoNodes(a, b, Client(base_url=a.url, timeout=30), Client(base_url=b.url, timeout=30), [])
    try:
        await nodes.admin_a.sign_in("sysadmin")
        await nodes.admin_b.sign_in("sysadmin")
        await link(nodes)
        yield nodes
    finally:
        for c in [nodes.admin_a, nodes.admin_b, *nodes.clients]:
            await c.aclose()
        await b.stop()
        await a.stop()
        await a_services.close()
        await b_services.close()
