"""Engine, sessions and the declarative base shared by every context.

The engine is created by the app's lifespan or the CLI from `Settings`, never at import. On SQLite every write
transaction (the sessions of `create_write_sessionmaker`, used by the unit of work) starts with BEGIN IMMEDIATE:
writers queue on the database lock up front instead of failing with "database is locked" when a reader tries to
upgrade, which makes SQLite's single-writer rule behave like the row locks we rely on in PostgreSQL. Read-only
sessions start a plain (deferred) transaction, so in WAL mode they never wait for a writer.
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar, cast

import asyncpg  # type: ignore[import-untyped]  # no stubs shipped
from sqlalchemy import DateTime, Enum, MetaData, Table, event, inspect, select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, configure_mappers, make_transient_to_detached
from sqlalchemy.types import TypeDecorator

from oa.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_M = TypeVar("_M", bound=Base)


def table_of(model: type[Base]) -> Table:
    """The mapped class's table, for Core statements built once at import (declared as a plain FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite keeps no zone; we store UTC and re-attach it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(cls: type[StrEnum], name: str) -> Enum:
    """A status/kind column: the enum's values as strings with a CHECK constraint, the same on both databases."""
    return Enum(
        cls, name=name, native_enum=False, create_constraint=True, length=32,
        values_callable=lambda e: [m.value for m in e],
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def create_engine(settings: Settings) -> AsyncEngine:
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(settings.database_url, connect_args={"timeout": 30})
        _make_sqlite_transactional(engine)
        return engine
    engine = create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
    )
    _replace_closed_connections(engine)
    return engine


def _replace_closed_connections(engine: AsyncEngine) -> None:
    """Hand out no pooled connection that PostgreSQL has closed (a restart, an administrator's terminate).

    In place of SQLAlchemy's pre-ping, which with asyncpg costs three round trips on every checkout (BEGIN, an empty
    query, ROLLBACK), about a seventh of a workflow action's: asyncpg notices a closed socket when the server closes
    it, so asking the connection costs nothing. The pool throws such a connection away and opens a new one.
    """

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection.driver_connection.is_closed():
            raise DisconnectionError("PostgreSQL closed this pooled connection")


# What a connection that went away raises in asyncpg: its own interface errors, a socket error, the server's
# "connection failure" (08…) and "operator intervention" (57…, a terminate or a shutdown) classes.
_DRIVER_DISCONNECTS = (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError,
                       asyncpg.exceptions.OperatorInterventionError)


def is_postgresql(session: AsyncSession) -> bool:
    return session.bind.dialect.name == "postgresql"


@asynccontextmanager
async def driver(session: AsyncSession) -> AsyncIterator[Any]:
    """The asyncpg connection under `session`'s transaction (PostgreSQL only), begun.

    For the few statements that run in every workflow action and every commit (the 待办, the document's lock and
    the action's context; the action's rows, the notification events, the audit append): each is one hand-written
    statement sent straight to asyncpg, which costs a quarter of the CPU of the same statement through SQLAlchemy's
    execution layer (bench/README.md). The statements run in the session's transaction and commit or
    roll back with it. Values go in as `driver_value` makes them. A connection lost on the way is raised as SQLAlchemy
    raises it (`DBAPIError` with `connection_invalidated`), so the request answers 503 as for any other statement.
    """
    connection, conn = await _driver_of(session)
    try:
        yield conn
    except _DRIVER_DISCONNECTS as exc:
        # As SQLAlchemy does with a statement of its own: the pool drops the connection, and the rollback that
        # follows does not try to talk over it (which would raise in place of this error).
        await connection.invalidate(exc)
        raise DBAPIError("(sent to asyncpg directly)", None, exc, connection_invalidated=True) from exc


def driver_value(value: Any) -> Any:
    """A column value as a statement sent by `driver` takes it: what SQLAlchemy's column types did on the way in.
    An enum as its value (the columns are text), a JSON object as its text; the rest as asyncpg sends it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


async def lock_row(session: AsyncSession, model: type[_M], key: int) -> _M | None:
    """The row of `model` whose primary key is `key`, locked FOR UPDATE, as a persistent object of `session`.

    On PostgreSQL the row is read through `driver` and the object made from it as the ORM makes a loaded one
    (`make_transient_to_detached`: no history, nothing to flush): the ORM's own load of one row cost several times
    the statement, and every workflow action starts with one. The values are those SQLAlchemy's column types give
    (an enum member, an aware UTC datetime, a decoded JSON object). A session that already holds the object, and
    SQLite, take the ORM's path, so a session keeps one object per row.
    """
    mapper = inspect(model)
    if not is_postgresql(session) or mapper.identity_key_from_primary_key((key,)) in session.identity_map:
        stmt = select(model).where(mapper.primary_key[0] == key).with_for_update()
        return (await session.execute(stmt)).scalar_one_or_none()
    sql, converters = _row_reader(model)
    async with driver(session) as conn:
        row = await conn.fetchrow(sql, key)
    if row is None:
        return None
    # Made as the ORM's loader makes an object: the values straight into its state, without the constructor's
    # attribute events, then marked as loaded (no history) and attached.
    instance = cast(_M, mapper.class_manager.new_instance())
    state = instance.__dict__
    for attribute, column, convert in converters:
        value = row[column]
        state[attribute] = value if convert is None or value is None else convert(value)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


_Converter = Callable[[Any], Any] | None


@functools.cache
def _row_reader(model: type[Base]) -> tuple[str, tuple[tuple[str, str, _Converter], ...]]:
    """The locking SELECT of one `model` row by primary key, and for each column: the attribute it loads, and how
    its value becomes the attribute's."""
    # The objects are made without the constructor, whose first call would have set up the mappings: a process
    # whose first use of the ORM is this one must set them up here.
    configure_mappers()
    table, mapper = table_of(model), inspect(model)
    (primary_key,) = table.primary_key.columns
    converters: list[tuple[str, str, _Converter]] = []
    for column in table.columns:
        # asyncpg gives datetimes aware in UTC (as UTCDateTime does) and decodes JSON with SQLAlchemy's codec; only an
        # enum column's text becomes its member here.
        kind, convert = column.type, cast(_Converter, None)
        if isinstance(kind, Enum) and kind.enum_class is not None:
            convert = kind.enum_class
        converters.append((mapper.get_property_by_column(column).key, column.name, convert))
    columns = ", ".join(column.name for column in table.columns)
    # The names are the mapped table's own, never input.
    sql = f"SELECT {columns} FROM {table.name} WHERE {primary_key.name} = $1 FOR UPDATE"  # noqa: S608
    return sql, tuple(converters)


async def flush_pending(session: AsyncSession) -> None:
    """Flush the ORM's pending changes, if it holds any, before statements that may read them. Asking an empty
    session to flush still costs a trip through SQLAlchemy's async bridge, and every action and commit asks."""
    if session.new or session.dirty or session.deleted:
        await session.flush()


_DRIVER_OF_TRANSACTION = "oa.driver"


async def _driver_of(session: AsyncSession) -> tuple[AsyncConnection, Any]:
    """The session's connection and its asyncpg connection, looked up once per transaction: an action asks for it
    six times, and each lookup goes through SQLAlchemy's async bridge twice."""
    cached = session.info.get(_DRIVER_OF_TRANSACTION)
    if cached is not None and cached[0] is session.sync_session.get_transaction():
        return cached[1], cached[2]
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    adapter, conn = raw.dbapi_connection, raw.driver_connection
    assert adapter is not None and conn is not None  # a checked-out connection of the session's transaction
    if not conn.is_in_transaction():
        # SQLAlchemy's asyncpg adapter opens the transaction lazily, with its first statement. When the first one
        # comes here, open it as the adapter would (its own asyncpg transaction, which its commit and rollback end)
        # rather than spend a statement through SQLAlchemy on it; the driver tests prove both ends.
        await adapter._start_transaction()
        if not conn.is_in_transaction():  # an autocommit engine: each statement would commit on its own
            raise RuntimeError("statements sent through `driver` need the session's transaction (not autocommit)")
    session.info[_DRIVER_OF_TRANSACTION] = (session.sync_session.get_transaction(), connection, conn)
    return connection, conn


def _make_sqlite_transactional(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that BEGIN IMMEDIATE below is the only BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


WRITE_OPTION = "oa_writes"


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for reading (on SQLite a deferred transaction that never waits for writers)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def create_write_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for changing data: on SQLite they take the write lock at BEGIN (see the module docstring)."""
    return async_sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False,
                              autoflush=False)


def import_all_models() -> None:
    """Register every context's tables on `Base.metadata` (for Alembic and the schema checks)."""
    import oa.models  # noqa: F401
