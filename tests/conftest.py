"""Shared fixtures: a real database (SQLite and PostgreSQL, every database test runs on both), the services,
the app served by a real uvicorn on loopback, and HTTP clients signed in as demo people.

PostgreSQL is required: when it cannot be reached the PostgreSQL half FAILS with the reason. Only an explicit
OA_TEST_SKIP_POSTGRES=1 outside CI leaves those cases out, and the run then says so in red at the end.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from oa.database import Base, import_all_models
from oa.migrate import upgrade
from oa.services import Services
from oa.settings import Settings

import_all_models()

PG_ADMIN_URL = os.environ.get("OA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"
SKIP_PG = os.environ.get("OA_TEST_SKIP_POSTGRES") == "1" and not IN_CI


def _pg_asyncpg_url(dbname: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{dbname}"


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class Databases:
    """Creates each kind of database once per test session, migrated; hands out a clean copy per test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sqlite_template: Path | None = None
        self._pg_url: str | None = None
        self._pg_error: str | None = None
        self.pg_name = f"oa_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"

    def sqlite_url(self, workdir: Path) -> str:
        if self._sqlite_template is None:
            template = self.root / "template.db"
            upgrade(Settings.from_environ({"OA_DATABASE_URL": f"sqlite+aiosqlite:///{template}",
                                           "OA_DATA_DIR": str(self.root)}))
            self._sqlite_template = template
        target = workdir / "oa.db"
        shutil.copyfile(self._sqlite_template, target)
        return f"sqlite+aiosqlite:///{target}"

    def postgres_url(self) -> str:
        if self._pg_error:
            pytest.fail(self._pg_error)
        if self._pg_url is None:
            try:
                asyncio.run(_pg_admin(f'CREATE DATABASE "{self.pg_name}"'))
            except Exception as exc:
                self._pg_error = (f"PostgreSQL is required for the test suite and is unreachable at {PG_ADMIN_URL}: "
                                  f"{type(exc).__name__}: {exc}. Start it or set OA_TEST_POSTGRES_URL.")
                pytest.fail(self._pg_error)
            url = _pg_asyncpg_url(self.pg_name)
            upgrade(Settings.from_environ({"OA_DATABASE_URL": url, "OA_DATA_DIR": str(self.root)}))
            self._pg_url = url
        asyncio.run(_truncate(self._pg_url))
        return self._pg_url

    def drop(self) -> None:
        if self._pg_url is not None:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)'))


async def _truncate(url: str) -> None:
    """Empty every table and restart the id sequences. DELETE, not TRUNCATE: on tables this small it avoids
    TRUNCATE's per-table file swap, which made it the slowest part of every PostgreSQL test's set-up."""
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        async with conn.transaction():
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(f'DELETE FROM "{table.name}"')
            sequences = await conn.fetch("SELECT sequence_name FROM information_schema.sequences "
                                         "WHERE sequence_schema = 'public'")
            for row in sequences:
                await conn.execute(f'ALTER SEQUENCE "{row["sequence_name"]}" RESTART WITH 1')
            await conn.execute("INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (1, 0, $1)", "0" * 64)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.drop()


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every database test runs on both databases; concurrency proofs (postgres_only) on PostgreSQL alone."""
    if "db_kind" in metafunc.fixturenames:
        kinds = ["postgresql"] if metafunc.definition.get_closest_marker("postgres_only") else ["sqlite", "postgresql"]
        if SKIP_PG:
            kinds = [k for k in kinds if k != "postgresql"]
        metafunc.parametrize("db_kind", kinds, indirect=True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SKIP_PG:
        terminalreporter.write_line("WARNING: the PostgreSQL half of the suite was NOT run (OA_TEST_SKIP_POSTGRES=1)",
                                    red=True)


@pytest.fixture
def db_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def settings(db_kind: str, databases: Databases, tmp_path: Path, keys_dir: Path) -> Settings:
    url = databases.sqlite_url(tmp_path) if db_kind == "sqlite" else databases.postgres_url()
    return Settings.from_environ({
        "OA_DATABASE_URL": url,
        "OA_DATA_DIR": str(tmp_path),
        "OA_KEYS_DIR": str(keys_dir),
        "OA_FRONTEND_DIR": str(tmp_path / "no-frontend"),
        "OA_LOG_JSON": "false",
    })


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    svc = Services.create(settings)
    try:
        yield svc
    finally:
        await svc.close()


@pytest.fixture
async def demo(services: Services) -> Services:
    from oa.auth.principal import RequestContext
    from oa.demo.load import load_demo

    async with services.unit_of_work(None, RequestContext(ip="test")) as uow:
        await load_demo(uow)
        await uow.commit()
    return services


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningServer:
    def __init__(self, services: Services) -> None:
        from oa.web.app import create_app

        self.app = create_app(services.settings, services=services)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, loop="none", http="httptools",
                                ws="websockets-sansio", ws_per_message_deflate=False, access_log=False, log_config=None,
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[Any] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task:
            await self.task


@pytest.fixture
async def server(demo: Services) -> AsyncIterator[RunningServer]:
    running = RunningServer(demo)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


class Client(httpx.AsyncClient):
    """An HTTP client against the running app; `sign_in` keeps the httpOnly cookies like a browser would."""

    async def sign_in(self, username: str, password: str = "demo12345") -> dict[str, Any]:
        response = await self.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.headers["X-Requested-With"] = "oa"
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def client(server: RunningServer) -> AsyncIterator[Client]:
    async with Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture
async def make_client(server: RunningServer) -> AsyncIterator[Any]:
    """Several independent people at once: each call returns a new cookie jar."""
    clients: list[Client] = []

    def factory() -> Client:
        c = Client(base_url=server.url, timeout=30)
        clients.append(c)
        return c

    yield factory
    for c in clients:
        await c.aclose()
