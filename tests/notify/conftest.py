"""Fixtures for the notification tests: app nodes with tuned delivery, WebSocket clients, and event makers.

A node here is the real app on a real uvicorn (same options as production: websockets-sansio, no deflate), with a
`NotifyConfig` of short intervals so that cut-offs and catch-ups happen within a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from oa.auth.principal import RequestContext
from oa.notify.hub import Hub, NotifyConfig
from oa.org.models import Person
from oa.services import Services
from oa.web.app import create_app

FAST = NotifyConfig(ping_seconds=30, recheck_seconds=30, send_timeout_seconds=2, queue_limit=64, max_backlog=200,
                    burst_limit=50, burst_window_seconds=0.5, badge_interval_seconds=0.2, catchup_seconds=0.5,
                    prune_every_seconds=3600)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    """One app node: the app, its uvicorn, its hub."""

    def __init__(self, services: Services, config: NotifyConfig) -> None:
        self.services = services
        self.app = create_app(services.settings, services=services)
        self.app.state.notify_config = config
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/ws/events"
        self.server = uvicorn.Server(uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, loop="none", http="httptools", ws="websockets-sansio",
            ws_per_message_deflate=False, access_log=False, log_config=None, lifespan="on"))
        self.task: asyncio.Task[Any] | None = None

    @property
    def hub(self) -> Hub:
        hub: Hub = self.app.state.notify_hub
        return hub

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


@dataclass
class Nodes:
    demo: Services
    started: list[Node] = field(default_factory=list)

    async def start(self, config: NotifyConfig = FAST, services: Services | None = None) -> Node:
        node = Node(services or self.demo, config)
        await node.start()
        self.started.append(node)
        return node

    async def stop_using(self, services: Services) -> None:
        """Stop the nodes running on `services`, before those are closed: a node still running would open a
        connection on an engine already disposed, and leave it open."""
        for node in [n for n in reversed(self.started) if n.services is services]:
            await node.stop()
            self.started.remove(node)


@pytest.fixture
async def nodes(demo: Services) -> AsyncIterator[Nodes]:
    made = Nodes(demo)
    yield made
    for node in reversed(made.started):
        await node.stop()


async def person_id(services: Services, username: str) -> int:
    async with services.sessions() as session:
        return int((await session.execute(select(Person.id).where(Person.username == username))).scalar_one())


async def emit(services: Services, recipients: Iterable[int], type_: str, payloads: Iterable[dict[str, Any]]) -> None:
    """One committed change that notifies `recipients` once per payload (as a use case would)."""
    recipients = list(recipients)
    async with services.unit_of_work(None, RequestContext(ip="test")) as uow:
        for payload in payloads:
            uow.notify(recipients, type_, payload)
        uow.audit("test.notify", detail={"type": type_})
        await uow.commit()


async def bearer(node: Node, username: str) -> str:
    async with httpx.AsyncClient(base_url=node.url) as http:
        response = await http.post("/api/auth/token", json={"username": username, "password": "demo12345"})
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token


class Socket:
    """A real `websockets` client with helpers that skip the frames a test is not about."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def frame(self, timeout: float = 10) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        body: dict[str, Any] = json.loads(raw)
        return body

    async def next(self, *, skip: tuple[str, ...] = ("ping", "badges"), timeout: float = 10) -> dict[str, Any]:
        while True:
            body = await self.frame(timeout)
            if body["type"] not in skip:
                return body

    async def events(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        return [await self.next(timeout=timeout) for _ in range(count)]

    async def silent_for(self, seconds: float, *, skip: tuple[str, ...] = ("ping", "badges")) -> bool:
        """True when nothing but `skip` frames arrives for `seconds`."""
        try:
            body = await self.next(skip=skip, timeout=seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"expected silence, got {body}")

    async def closed_with(self, timeout: float = 10) -> tuple[int | None, str | None]:
        """Read until the server closes; return its close code and reason."""
        async def drain() -> None:
            with contextlib.suppress(ConnectionClosed):
                async for _ in self.ws:
                    pass
        await asyncio.wait_for(drain(), timeout)
        rcvd = self.ws.protocol.close_rcvd
        return (rcvd.code, rcvd.reason) if rcvd is not None else (None, None)

    async def close(self) -> None:
        await self.ws.close()


Opener = Callable[..., Awaitable[Socket]]


@pytest.fixture
async def open_socket() -> AsyncIterator[Opener]:
    opened: list[Socket] = []

    async def opener(node: Node, *, token: str | None = None, cookie: str | None = None,
                     last_event_id: int | str | None = None, headers: dict[str, str] | None = None,
                     **options: Any) -> Socket:
        url = node.ws_url if last_event_id is None else f"{node.ws_url}?last_event_id={last_event_id}"
        extra = dict(headers or {})
        if token is not None:
            extra["Authorization"] = f"Bearer {token}"
        if cookie is not None:
            extra["Cookie"] = f"oa_access={cookie}"
        ws = await connect(url, additional_headers=extra, compression=None, proxy=None, **options)
        sock = Socket(ws)
        opened.append(sock)
        return sock

    yield opener
    for sock in opened:
        await sock.close()


class Kit:
    """What test modules need from here (they cannot import conftest): reach it through the `kit` fixture."""

    fast = FAST

    def __init__(self, opener: Opener) -> None:
        self.open = opener
        self.emit = emit
        self.person_id = person_id
        self.bearer = bearer

    @staticmethod
    def config(**changes: Any) -> NotifyConfig:
        return replace(FAST, **changes)

    async def connected(self, node: Node, **kwargs: Any) -> tuple[Socket, dict[str, Any]]:
        """Open a socket and wait for its `ready` (or `resync`) frame, so the stream is live before the test acts."""
        sock = await self.open(node, **kwargs)
        first = await sock.next()
        assert first["type"] in {"ready", "resync"}, first
        return sock, first


@pytest.fixture
def kit(open_socket: Opener) -> Kit:
    return Kit(open_socket)
