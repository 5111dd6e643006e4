"""Declaring API routes once: the handler, its body/query/response models and its OpenAPI entry come together.

A handler receives a `Call` (the request, the signed-in person, the validated body and query, the services) and
returns a pydantic model, a list of them, or None (204). Authentication, parsing and serialisation happen here, so
handlers stay thin: parse, call one use case, serialise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from oa.auth.principal import Principal, RequestContext
from oa.errors import InvalidInput
from oa.web.requests import read_json, read_query

if TYPE_CHECKING:
    from oa.services import Services
    from oa.uow import UnitOfWork

B = TypeVar("B", bound=BaseModel)
Q = TypeVar("Q", bound=BaseModel)


class NoBody(BaseModel):
    pass


@dataclass
class Call(Generic[B, Q]):
    request: Request
    services: Services
    principal: Principal | None
    body: B
    query: Q
    context: RequestContext

    @property
    def me(self) -> Principal:
        assert self.principal is not None, "route declared public but handler needs a principal"
        return self.principal

    def path_int(self, name: str) -> int:
        raw = self.request.path_params[name]
        if isinstance(raw, int):
            return raw
        try:
            return int(raw)
        except ValueError as exc:
            raise InvalidInput(f"路径参数 {name} 须为整数") from exc

    def uow(self) -> UnitOfWork:
        return self.services.unit_of_work(self.principal, self.context)


Handler = Callable[[Call[Any, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    handler: Handler
    summary: str
    tags: tuple[str, ...]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    public: bool
    description: str = ""
    extra_responses: dict[int, str] = field(default_factory=dict)
    # Not JSON (e.g. application/pdf): the handler returns a Starlette Response, the spec declares binary content.
    media_type: str = "application/json"
    # The request body is the file itself, read by the handler as a stream: the spec declares it as binary content
    # of these media types.
    raw_body: tuple[str, ...] = ()


class ApiRouter:
    """Collects ApiRoutes; `routes()` turns them into Starlette routes, `openapi` reads them for the spec."""

    def __init__(self) -> None:
        self.api_routes: list[ApiRoute] = []

    def route(
        self, method: str, path: str, *, summary: str, tags: tuple[str, ...] | list[str] = (),
        body: type[BaseModel] | None = None, query: type[BaseModel] | None = None, response: Any = None,
        status: int = 200, public: bool = False, description: str = "",
        extra_responses: dict[int, str] | None = None, media_type: str = "application/json",
        raw_body: tuple[str, ...] = (),
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.api_routes.append(
                ApiRoute(method.upper(), path, handler, summary, tuple(tags), body, query, response, status,
                         public, description or (handler.__doc__ or "").strip(), extra_responses or {}, media_type,
                         raw_body)
            )
            return handler

        return register

    def include(self, other: ApiRouter) -> None:
        self.api_routes.extend(other.api_routes)

    def routes(self) -> list[Route]:
        by_path: dict[str, dict[str, ApiRoute]] = {}
        for api_route in self.api_routes:
            by_path.setdefault(api_route.path, {})[api_route.method] = api_route
        return [Route(path, _endpoint(methods), methods=list(methods)) for path, methods in by_path.items()]


def _endpoint(methods: dict[str, ApiRoute]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        api_route = methods[request.method if request.method != "HEAD" else "GET"]
        services: Services = request.app.state.services
        context = request_context(request)
        principal = None if api_route.public else await services.authenticate_request(request)
        body: BaseModel = NoBody()
        if api_route.body is not None:
            body = await read_json(request, api_route.body, services.settings.max_json_bytes)
        query: BaseModel = NoBody()
        if api_route.query is not None:
            query = read_query(request, api_route.query)
        result = await api_route.handler(Call(request, services, principal, body, query, context))
        return serialise(result, api_route.status)

    return endpoint


def request_context(request: Request) -> RequestContext:
    client = request.client.host if request.client else None
    return RequestContext(
        ip=client,
        request_id=request.scope.get("state", {}).get("request_id"),
        user_agent=(request.headers.get("user-agent") or "")[:255] or None,
    )


def serialise(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status_code=204)
    if isinstance(result, BaseModel):
        return JSONResponse(result.model_dump(mode="json"), status_code=status)
    if isinstance(result, list):
        return JSONResponse([r.model_dump(mode="json") if isinstance(r, BaseModel) else r for r in result],
                            status_code=status)
    return JSONResponse(result, status_code=status)
