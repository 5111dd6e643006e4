"""`GET /ws/events` — the signed-in person's notification stream over a WebSocket.

Authentication is the API's session: the browser's httpOnly `oa_access` cookie, or `Authorization: Bearer` for
other clients. There is deliberately no `?token=` parameter: the server logs the request line of every accepted
socket, and a token in a URL also ends up in proxy logs and browser history. A cookie-authenticated socket must
come from our own origin (a WebSocket is not covered by SameSite or CORS, so a foreign page could otherwise open
one with the user's cookie). Refusals are sent as close codes after the handshake, because a browser never sees
the HTTP status of a refused handshake: 4401 unauthenticated or session ended, 4403 foreign origin, 4400 bad
`last_event_id`, 1013 cannot keep up.

The socket lives at most as long as its access token and is cut within `recheck_seconds` of a sign-out (the hub
checks every socket's session in one query per 1,000); the client reconnects with a fresh cookie and its last id
and misses nothing. Frames are described in `oa.notify.frames`.
Per-message compression is off (the server runs `ws_per_message_deflate=False`): the frames are small JSON where
deflate saves little, while its per-socket zlib state roughly doubles idle memory per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Collection
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.routing import BaseRoute, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from oa.auth.models import AuthSession
from oa.auth.principal import Principal
from oa.auth.tokens import decode_access_token
from oa.database import utcnow
from oa.errors import Unauthenticated
from oa.notify import service
from oa.notify.badges import count_badges
from oa.notify.connection import CLOSE_FORBIDDEN, CLOSE_TRY_AGAIN, CLOSE_UNAUTHENTICATED, Connection
from oa.notify.frames import PING_FRAME, StreamEvent, badges_frame, ready_frame, resync_frame
from oa.notify.hub import Hub, NotifyConfig
from oa.org.models import Person
from oa.services import ACCESS_COOKIE, Services

log = logging.getLogger("oa.notify.ws")

CLOSE_BAD_REQUEST = 4400
_CLOSE_REASON_BYTES = 123  # RFC 6455: a close frame's reason is at most 123 bytes of UTF-8


def _short(reason: str) -> str:
    encoded = reason.encode("utf-8")[:_CLOSE_REASON_BYTES]
    return encoded.decode("utf-8", errors="ignore")


def _token_of(websocket: WebSocket) -> tuple[str | None, bool]:
    """The presented token and whether it came from the cookie (which needs the origin check)."""
    header = websocket.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Authorization 头须为 “Bearer <令牌>”")
        return token.strip(), False
    return websocket.cookies.get(ACCESS_COOKIE), True


def _same_origin(websocket: WebSocket, public_url: str) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: browsers always send Origin on a WebSocket handshake
    host = websocket.headers.get("host", "")
    return origin.rstrip("/") in {public_url, f"http://{host}", f"https://{host}"}


def _last_event_id(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("last_event_id")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValueError(raw)
    return int(raw)


async def events_endpoint(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    hub: Hub = websocket.app.state.notify_hub
    await websocket.accept()
    try:
        token, from_cookie = _token_of(websocket)
        if token is None:
            raise Unauthenticated("请先登录")
        if from_cookie and not _same_origin(websocket, services.settings.public_url):
            await websocket.close(CLOSE_FORBIDDEN, _short("不接受来自其他站点的连接"))
            return
        principal = await services.authenticate_token(token)
        claims = decode_access_token(services.keys, token, issuer=services.settings.jwt_issuer,
                                     audience=services.settings.jwt_audience)
    except Unauthenticated as exc:
        await websocket.close(CLOSE_UNAUTHENTICATED, _short(exc.detail))
        return
    try:
        after = _last_event_id(websocket)
    except ValueError:
        await websocket.close(CLOSE_BAD_REQUEST, _short("last_event_id 须为非负整数"))
        return
    conn = hub.connect(principal.person_id, principal.session_id)
    try:
        await _serve(websocket, services, hub, conn, principal, claims.expires_at, after)
    finally:
        hub.disconnect(conn)


async def _serve(
    websocket: WebSocket, services: Services, hub: Hub, conn: Connection, principal: Principal,
    expires_at: datetime, after: int | None,
) -> None:
    config = hub.config
    loop = asyncio.get_running_loop()
    # Registered with the hub before reading, so a wake-up during the read is not lost (request_read below).
    async with services.sessions() as session:
        backlog = await service.read_backlog(session, principal.person_id, after, config.max_backlog)
        badges = await count_badges(session, principal.person_id)
    if backlog.resync_reason is not None:
        conn.enqueue([resync_frame(backlog.last_seq, backlog.resync_reason)])
        conn.begin_at(backlog.last_seq)
    else:
        start = backlog.last_seq if after is None else after
        conn.enqueue([ready_frame(start)])
        conn.begin_at(start, replaying=bool(backlog.events))
    conn.enqueue([badges_frame(badges)])
    replay = deque(StreamEvent.of(row.seq, row.type, row.payload, row.created_at) for row in backlog.events)
    page = max(1, config.queue_limit // 2)  # a long backlog goes out page by page, never past the outbox bound
    if not replay:
        hub.request_read(principal.person_id)

    reader = asyncio.create_task(_watch_client(websocket, conn))
    now = loop.time()
    next_ping = now + config.ping_seconds
    expiry = now + (expires_at - utcnow()).total_seconds()
    try:
        while True:
            conn.wake.clear()
            now = loop.time()
            if replay and len(conn.outbox) < page:
                for _ in range(min(page, len(replay))):
                    conn.deliver(replay.popleft(), now, replay=True)
                if not replay:
                    conn.replaying = False
                    hub.request_read(principal.person_id)  # what committed during the replay
            conn.enqueue(conn.coalescer.flush_due(now))
            if now >= next_ping:
                conn.enqueue([PING_FRAME])
                next_ping = now + config.ping_seconds
            if now >= expiry:
                conn.close(CLOSE_UNAUTHENTICATED, "登录已过期，请续期后重连")
            if conn.outbox and conn.close_code is None:
                # One deadline for the whole batch (the outbox is bounded), not one timer per frame.
                async with asyncio.timeout(config.send_timeout_seconds):
                    while conn.outbox and conn.close_code is None:
                        await websocket.send_text(conn.outbox.popleft())
            if conn.close_code is not None:
                break
            deadlines = [now if replay else next_ping, expiry]
            if conn.coalescer.deadline is not None:
                deadlines.append(conn.coalescer.deadline)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, min(deadlines) - loop.time())):
                    await conn.wake.wait()
    except TimeoutError:
        conn.close(CLOSE_TRY_AGAIN, "发送超时")  # the client stopped reading: its TCP buffer is full
        log.info("closing a notification socket of person %s: send timed out", principal.person_id)
        return  # closing would block on the same full buffer; returning lets the server drop the socket
    except (WebSocketDisconnect, RuntimeError, OSError):
        return  # the client went away mid-send
    finally:
        reader.cancel()
    if conn.close_code is not None and conn.close_code != 1000:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await websocket.close(conn.close_code, _short(conn.close_reason))


async def ended_sessions(session: AsyncSession, session_ids: Collection[str]) -> set[str]:
    """Of these sign-in sessions, the ones signed out, expired, or whose person was deactivated (one query)."""
    rows = await session.execute(
        select(AuthSession.id)
        .join(Person, Person.id == AuthSession.person_id)
        .where(AuthSession.id.in_(list(session_ids)),
               or_(AuthSession.revoked_at.is_not(None), AuthSession.expires_at <= utcnow(), Person.active.is_(False)))
    )
    return set(rows.scalars())


async def _watch_client(websocket: WebSocket, conn: Connection) -> None:
    """Read (and ignore) what the client sends, so its departure is noticed at once and nothing piles up."""
    with contextlib.suppress(Exception):  # a broken transport is a departure like any other
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
    conn.close(1000, "")


@contextlib.asynccontextmanager
async def notify_lifespan(app: Starlette) -> AsyncIterator[None]:
    """Run the node's notification hub (and its bus connection) for the app's lifetime.

    Tests tune delivery by setting `app.state.notify_config` before the server starts.
    """
    services: Services = app.state.services
    config: NotifyConfig = getattr(app.state, "notify_config", None) or NotifyConfig()
    hub = Hub(services.sessions, services.bus, config, ended_sessions)
    await hub.start()
    app.state.notify_hub = hub
    try:
        yield
    finally:
        await hub.stop()


def ws_routes() -> list[BaseRoute]:
    return [WebSocketRoute("/ws/events", events_endpoint)]
