"""The API routers of the exchange, distribution and incoming documents, and the node-to-node routes, for the
app factory."""

from __future__ import annotations

from starlette.routing import Route

from oa.web.api import ApiRouter


def exchange_routers() -> tuple[ApiRouter, ...]:
    from docflow.distribution.routes import router as distribution_router
    from docflow.exchange.routes import router as exchange_router
    from docflow.incoming.routes import router as incoming_router

    return (exchange_router, distribution_router, incoming_router)


def node_routes() -> list[Route]:
    """The node-to-node endpoints (inbox, JWKS): plain routes, outside the people's OpenAPI document."""
    from docflow.exchange.routes import node_router

    return node_router.routes()
