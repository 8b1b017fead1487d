"""Async engine and session factory (asyncpg), tagged with the process's application_name."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg
from sqlalchemy import MetaData, event
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the naming convention every service uses (stable constraint names)."""
    return MetaData(naming_convention=NAMING)


class KitBase(DeclarativeBase):
    """Declarative base for the kit's own tables (outbox, inbox, idempotency)."""

    metadata = new_metadata()


PING_AFTER_IDLE_S = 1.0
RECYCLE_S = 1800


def make_engine(
    url: str, *, application_name: str, pool_size: int = 10, ping_after_idle_s: float = PING_AFTER_IDLE_S
) -> AsyncEngine:
    """An asyncpg engine whose connections show ``application_name`` in pg_stat_activity.

    A connection that sat in the pool longer than ``ping_after_idle_s`` is pinged when
    checked out, and replaced if the ping fails (the database restarted, a proxy cut it).
    A busy connection is not: ``pool_pre_ping`` would cost three round trips (BEGIN, ``;``,
    ROLLBACK) on every checkout, more than a typical request's own statements. A busy
    connection that died fails its statement instead; SQLAlchemy sees the disconnect and
    invalidates the whole pool, so the next checkouts connect afresh (at most the requests
    in flight at that moment fail). Connections are also recycled after ``RECYCLE_S``.
    """
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=RECYCLE_S,
        connect_args={"server_settings": {"application_name": f"{application_name}:{os.getpid()}"}},
    )

    @event.listens_for(engine.sync_engine, "checkin")
    def _idle_since(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < ping_after_idle_s:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:  # the pool discards this connection and checks out another
            raise DisconnectionError(f"idle connection failed its ping: {exc}") from exc

    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def sync_url(url: str) -> str:
    """The psycopg2 form of an asyncpg URL (for tools that need a sync driver)."""
    return url.replace("+asyncpg", "+psycopg2")


# ---- statements run on the driver's own connection (hot paths)

_ASYNCPG = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


class DriverStatement:
    """A Core statement compiled once for asyncpg, run on the driver's connection itself.

    For hot paths whose statements cost less than SQLAlchemy's execution around them (the
    click batcher's group commit: a session, its transaction and three executions per batch
    were most of a batch's CPU). The statement is written once, as the Core statement its
    session callers run; this sends the same SQL with the same (processed) binds.
    """

    def __init__(self, statement: ClauseElement) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=_ASYNCPG))
        self.sql = compiled.string
        self._compiled = compiled
        self._names = tuple(compiled.positiontup or ())
        self._processors: dict[str, Callable[[Any], Any]] = {
            name: processor for name, processor in compiled._bind_processors.items() if callable(processor)
        }

    def args(self, params: Mapping[str, Any] | None = None) -> list[Any]:
        """The positional arguments for ``params`` (binds with a value in the statement need none)."""
        values = self._compiled.construct_params(dict(params or {}))
        assert values is not None
        processors = self._processors
        return [processors[n](values[n]) if n in processors else values[n] for n in self._names]

    async def fetch(self, connection: asyncpg.Connection, params: Mapping[str, Any] | None = None) -> list[Any]:
        """The rows (``asyncpg.Record``) the statement returns."""
        return list(await connection.fetch(self.sql, *self.args(params)))


@asynccontextmanager
async def driver_transaction(engine: AsyncEngine) -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection's asyncpg connection, in a transaction committed on exit (rolled back on error).

    The connection comes from and goes back to ``engine``'s pool (its checkout ping included);
    one the server closed is invalidated, as SQLAlchemy does when it sees the disconnect.
    """
    async with engine.connect() as conn:
        driver: asyncpg.Connection = (await conn.get_raw_connection()).driver_connection
        try:
            async with driver.transaction():
                yield driver
        except BaseException:
            if driver.is_closed():
                await conn.invalidate()
            raise
