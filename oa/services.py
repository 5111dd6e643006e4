"""The services one app instance holds (engine, sessions, keys, event bus), built in the lifespan or the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from oa.auth import service as auth_service
from oa.auth.principal import Principal, RequestContext
from oa.auth.tokens import TokenKeys, load_or_create_keys
from oa.database import create_engine, create_sessionmaker, create_write_sessionmaker, utcnow
from oa.errors import Forbidden, Unauthenticated
from oa.notify.bus import EventBus, LocalEventBus
from oa.notify.pg_bus import PgEventBus
from oa.settings import Settings
from oa.uow import UnitOfWork

ACCESS_COOKIE = "oa_access"
REFRESH_COOKIE = "oa_refresh"
CSRF_HEADER = "x-requested-with"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    keys: TokenKeys
    bus: EventBus
    write_sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def create(cls, settings: Settings, bus: EventBus | None = None) -> Services:
        engine = create_engine(settings)
        if bus is None:  # several nodes share a PostgreSQL and hear each other through it; SQLite is one node
            bus = LocalEventBus() if settings.is_sqlite else PgEventBus(settings.database_url)
        return cls(settings, engine, create_sessionmaker(engine), load_or_create_keys(settings.keys_dir), bus,
                   create_write_sessionmaker(engine))

    async def close(self) -> None:
        await self.engine.dispose()

    def unit_of_work(self, actor: Principal | None, context: RequestContext) -> UnitOfWork:
        return UnitOfWork(self.write_sessions, self.bus, actor=actor, context=context)

    async def authenticate_token(self, token: str) -> Principal:
        async with self.sessions() as session:
            return await auth_service.authenticate(session, self.settings, self.keys, token, utcnow())

    async def authenticate_request(self, conn: HTTPConnection) -> Principal:
        """Bearer token for API clients; the httpOnly cookie for the browser, with a CSRF header on writes."""
        header = conn.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthenticated("Authorization 头须为 “Bearer <令牌>”")
            return await self.authenticate_token(token.strip())
        cookie = conn.cookies.get(ACCESS_COOKIE)
        if not cookie:
            raise Unauthenticated("请先登录")
        method = conn.scope.get("method")
        if method is not None and method not in SAFE_METHODS and conn.headers.get(CSRF_HEADER) != "oa":
            # A cross-site form cannot set a custom header: requiring it on cookie-authenticated writes stops CSRF.
            raise Forbidden("请求缺少 X-Requested-With: oa 头（跨站请求防护）")
        return await self.authenticate_token(cookie)
