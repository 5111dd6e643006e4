"""Request ids and one structured log line per request, as plain ASGI middleware (no body buffering)."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oa.logs import request_id_var

log = logging.getLogger("oa.request")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode("ascii")))
            await send(message)

        try:
            # A WebSocket's frames pass straight through: a wrapper would cost every frame of every fan-out a call.
            await self.app(scope, receive, send_with_id if scope["type"] == "http" else send)
        finally:
            log.info(
                "%s %s %s", scope.get("method", "WS"), scope["path"], status,
                extra={"status": status, "path": scope["path"], "method": scope.get("method", "WS"),
                       "ms": round((time.perf_counter() - started) * 1000, 2)},
            )
            request_id_var.reset(token)
