"""Settlement tests run against a fresh, migrated database of their own on the real PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from trickle_kit.testing import fresh_database, unique_prefix, worker_suffix

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def database_url() -> str:
    return fresh_database(f"test_settlement_{worker_suffix()}", SERVICE_DIR)


@pytest.fixture(scope="session")
def topic_prefix() -> str:
    return unique_prefix("settlement")


@pytest.fixture
def settings(database_url: str, topic_prefix: str):  # type: ignore[no-untyped-def]
    from trickle_settlement.settings import Settings

    return Settings(database_url=database_url, topic_prefix=topic_prefix, log_json=False, db_pool_size=5)


@pytest.fixture
async def client(settings) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    from trickle_settlement.app import build_app

    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://settlement.test") as c:
            yield c


@pytest.fixture(scope="session")
async def engine(database_url: str):  # type: ignore[no-untyped-def]
    """One engine for the session's tests (pool large enough for the concurrency tests)."""
    from trickle_kit.db import make_engine

    eng = make_engine(database_url, application_name="settlement-tests", pool_size=20)
    yield eng
    await eng.dispose()


@pytest.fixture(scope="session")
def sessions(engine):  # type: ignore[no-untyped-def]
    from trickle_kit.db import make_sessionmaker

    return make_sessionmaker(engine)


os.environ.setdefault("TRICKLE_LOG_JSON", "false")
