"""Async engine and session factory (asyncpg), tagged with the process's application_name."""

from __future__ import annotations

import os
import time
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

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
