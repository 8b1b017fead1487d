"""Async engine and session factory (asyncpg), tagged with the process's application_name."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

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


def make_engine(url: str, *, application_name: str, pool_size: int = 10) -> AsyncEngine:
    """An asyncpg engine whose connections show ``application_name`` in pg_stat_activity."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": f"{application_name}:{os.getpid()}"}},
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session inside one transaction: committed on success, rolled back on error."""
    async with sessions() as session, session.begin():
        yield session


def sync_url(url: str) -> str:
    """The psycopg2 form of an asyncpg URL (for tools that need a sync driver)."""
    return url.replace("+asyncpg", "+psycopg2")
