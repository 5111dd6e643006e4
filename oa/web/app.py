"""The application factory: routes, middleware, error handlers, and the lifespan that owns the services."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from docflow.exchange.api import exchange_routers, node_routes
from docflow.exchange.lifespan import exchange_lifespan
from oa import errors
from oa.collector import collector_policy
from oa.migrate import current_revision, head_revision
from oa.services import Services
from oa.settings import Settings
from oa.web import problems
from oa.web.api import ApiRouter
from oa.web.middleware import RequestIdMiddleware
from oa.web.openapi import build_openapi
from oa.web.ws import notify_lifespan, ws_routes

VERSION = "0.1.0"


def api_router() -> ApiRouter:
    """Every context's API routes, in one list (the OpenAPI document is generated from it)."""
    from archive.routes import router as archive_router
    from docflow.attachments.routes import router as attachments_router
    from docflow.outgoing.admin_routes import router as outgoing_admin_router
    from docflow.outgoing.routes import router as outgoing_router
    from docflow.rendering.routes import router as rendering_router
    from docflow.seals.routes import router as seals_router
    from oa.audit.routes import router as audit_router
    from oa.auth.routes import router as auth_router
    from oa.org.routes import router as org_router

    router = ApiRouter()
    for part in (auth_router, org_router, audit_router, outgoing_router, outgoing_admin_router, attachments_router,
                 seals_router, archive_router):
        router.include(part)
    router.include(rendering_router)  # 预览稿、正式文本 PDF
    for part in exchange_routers():  # 交换、分发、收文
        router.include(part)
    return router


def create_app(settings: Settings, *, services: Services | None = None) -> Starlette:
    from archive.checks.formats import accepted_formats
    from docflow.badges import register_docflow_badges

    accepted_formats(settings.extra)  # a mistyped OA_ARCHIVE_FORMATS stops the start, not the first transfer

    register_docflow_badges()
    router = api_router()
    spec = build_openapi(router.api_routes, title="象山 OA API", version=VERSION)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or Services.create(settings)
        try:
            # `oa serve` sets a collector policy; an app built in process (tests, tools) leaves the collector alone.
            async with collector_policy(getattr(app.state, "collector_policy", None)), notify_lifespan(app), \
                    exchange_lifespan(app):
                yield
        finally:
            if owned:
                await app.state.services.close()

    async def openapi(_: Request) -> Response:
        return JSONResponse(spec)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        svc: Services = request.app.state.services
        try:
            current = await current_revision(svc.engine)
        except Exception as exc:  # the database is down or unreachable: not ready, say why
            return JSONResponse({"status": "unavailable", "database": f"unreachable: {type(exc).__name__}"},
                                status_code=503)
        head = head_revision()
        ok = current == head
        return JSONResponse({"status": "ok" if ok else "migrations-pending", "database": "ok",
                             "schema": current, "expected": head}, status_code=200 if ok else 503)

    routes: list[BaseRoute] = [
        Route("/openapi.json", openapi, include_in_schema=False),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *router.routes(),
        *node_routes(),
        *ws_routes(),
        *frontend_routes(settings.frontend_dir),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestIdMiddleware)],
        exception_handlers={
            errors.DomainError: problems.domain_error_handler,
            HTTPException: problems.http_exception_handler,
            Exception: problems.unexpected_error_handler,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.api_router = router
    return app


def frontend_routes(dist: Path) -> list[BaseRoute]:
    """Serve the built single-page app; any non-API path falls back to index.html for client-side routing."""
    index = dist / "index.html"
    if not index.exists():
        return [Route("/", _no_frontend)]

    async def spa(request: Request) -> Response:
        if request.url.path.startswith(("/api/", "/ws/")):
            raise HTTPException(404)  # an unknown API path is a problem, never the app's HTML
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    assets = dist / "assets"
    mounted: list[BaseRoute] = []
    if assets.is_dir():
        mounted.append(Mount("/assets", app=StaticFiles(directory=assets), name="assets"))
    return [*mounted, Route("/{path:path}", spa)]


async def _no_frontend(_: Request) -> Response:
    body: dict[str, Any] = {
        "message": "前端尚未构建：在 frontend/ 中运行 npm ci && npm run build，或使用 README 中的启动命令。",
        "api": "/openapi.json",
    }
    return JSONResponse(body)
