"""The API routers of the exchange, distribution and incoming documents, for the app's router list."""

from __future__ import annotations

from oa.web.api import ApiRouter


def exchange_routers() -> tuple[ApiRouter, ...]:
    from docflow.distribution.routes import router as distribution_router
    from docflow.exchange.routes import router as exchange_router
    from docflow.incoming.routes import router as incoming_router

    return (exchange_router, distribution_router, incoming_router)
