"""Kit tests use a fresh database holding the kit's own tables, on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.db import KitBase, make_engine, make_sessionmaker, sync_url
from trickle_kit.testing import fresh_database, worker_suffix


@pytest.fixture(scope="session")
def database_url() -> str:
    url = fresh_database(f"test_kit_{worker_suffix()}")
    engine = create_engine(sync_url(url))
    KitBase.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, application_name="kit-test", pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)
