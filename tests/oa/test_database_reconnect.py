"""After PostgreSQL closes the pooled connections (a restart, an administrator's terminate), the next requests are
served on new connections: nobody sees an error."""

from __future__ import annotations

import asyncio

import asyncpg  # type: ignore[import-untyped]
import pytest

pytestmark = pytest.mark.postgres_only


async def _terminate_the_apps_connections(database_url: str) -> int:
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        return int(await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    finally:
        await conn.close()


async def test_requests_after_the_server_closed_every_pooled_connection_succeed(make_client, server):
    clients = [make_client() for _ in range(4)]
    for client in clients:  # four people at once: several pooled connections in use, then idle in the pool
        await client.sign_in("xsx.drafter")
    assert all(r.status_code == 200 for r in await asyncio.gather(*(c.get("/api/me") for c in clients)))

    terminated = await _terminate_the_apps_connections(server.app.state.services.settings.database_url)
    assert terminated >= 1
    await asyncio.sleep(0.2)  # the server's goodbye reaches the pooled sockets

    for _ in range(3):
        responses = await asyncio.gather(*(c.get("/api/me") for c in clients))
        assert [r.status_code for r in responses] == [200] * len(clients), [r.text for r in responses]
        assert all(r.json()["username"] == "xsx.drafter" for r in responses)


async def test_a_request_whose_connection_is_lost_midway_gets_a_503_problem_to_retry():
    """The request that was running when the server went away: its transaction is gone, and it says so."""
    from sqlalchemy.exc import DBAPIError
    from starlette.requests import Request

    from oa.web.problems import unexpected_error_handler

    request = Request({"type": "http", "method": "POST", "path": "/api/documents/1/actions", "headers": []})
    lost = DBAPIError("COMMIT", None, ConnectionResetError("connection was closed"), connection_invalidated=True)
    response = await unexpected_error_handler(request, lost)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "没有生效" in bytes(response.body).decode()  # nothing was changed, and the user is told so

    other = DBAPIError("SELECT 1", None, ValueError("a bug"), connection_invalidated=False)
    assert (await unexpected_error_handler(request, other)).status_code == 500
