"""Web tests: the app against a fresh, migrated database of its own on the real PostgreSQL, and a
fake public API (``support.api.FakeApi``, an httpx MockTransport): these are unit tests of the
web app itself; pages against the real platform are tests/browser's."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from trickle_kit.testing import PG_ADMIN, fresh_database, worker_suffix

from .support.api import FakeApi
from .support.browser import Browser

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    # The pid keeps two concurrent runs (two engineers, or CI) from dropping each other's database.
    name = f"test_web_{worker_suffix()}_{os.getpid()}"
    yield fresh_database(name, SERVICE_DIR)
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def settings(database_url: str):  # type: ignore[no-untyped-def]
    from trickle_web.settings import Settings

    return Settings(
        database_url=database_url,
        log_json=False,
        db_pool_size=5,
        api_base_url="http://api.test",
        rate_limit_enabled=False,
    )


@pytest.fixture
def fake_api() -> FakeApi:
    return FakeApi()


@pytest.fixture
async def app(settings, fake_api: FakeApi):  # type: ignore[no-untyped-def]
    from trickle_web.app import build_app

    app = build_app(settings)
    app.state.api_transport = httpx.MockTransport(fake_api.handle)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def browser(app) -> AsyncIterator[Browser]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://web.test") as client:
        yield Browser(client)


os.environ.setdefault("TRICKLE_LOG_JSON", "false")
