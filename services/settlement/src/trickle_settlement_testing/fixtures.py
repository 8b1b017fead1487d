"""The settlement tests' shared fixtures (``tests/conftest.py`` imports them): a fresh migrated database
per xdist worker, a topic prefix per session, settings, the app's client, an engine and sessions,
and feeding events to handlers as the inbox would.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.envelope import Envelope
from trickle_kit.ids import new_id
from trickle_kit.inbox import Received
from trickle_kit.testing import fresh_database, unique_prefix, worker_suffix
from trickle_kit.testing_auth import TokenFactory
from trickle_settlement.settings import Settings

SERVICE_DIR = Path(__file__).resolve().parents[2]
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(scope="session")
def database_url() -> str:
    return fresh_database(f"test_settlement_{worker_suffix()}", SERVICE_DIR)


@pytest.fixture(scope="session")
def topic_prefix() -> str:
    return unique_prefix("settlement")


@pytest.fixture
def settings(database_url: str, topic_prefix: str) -> Settings:
    return Settings(database_url=database_url, topic_prefix=topic_prefix, log_json=False, db_pool_size=5)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from trickle_settlement.app import build_app

    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://settlement.test") as c:
            yield c


# Signs the test tokens the ``api`` client's app verifies.
TOKENS = TokenFactory()


def holder(account_id: str, scopes: tuple[str, ...] = ("ledger:read",)) -> dict[str, str]:
    """Headers of a token for ``account_id`` (an account holder) with ``scopes``."""
    return TOKENS.headers(account_id, list(scopes))


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app that accepts the tokens ``TOKENS`` signs (``holder(…)``, ``TOKENS.operator_headers()``)."""
    from trickle_settlement.app import build_app

    app = build_app(settings)
    app.state.verifier = TOKENS.verifier()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://settlement.test") as c:
            yield c


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """One engine for the session's tests (pool large enough for the concurrency tests)."""
    eng = make_engine(database_url, application_name="settlement-tests", pool_size=20)
    yield eng
    await eng.dispose()


@pytest.fixture(scope="session")
def sessions(engine: AsyncEngine) -> Sessions:
    return make_sessionmaker(engine)


Handler = Callable[[AsyncSession, Received], Awaitable[None]]


class Feeder:
    """Applies events to handlers in their own transaction, as ``InboxConsumer`` does."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions

    async def __call__(self, handler: Handler, event: Any, partition: int = 0) -> None:
        envelope = Envelope(
            id=new_id("evt"),
            type=event.event_type,
            source="test",
            time=datetime.now(UTC),
            data=event.model_dump(mode="json"),
        )
        received = Received(event, envelope, "clicks", partition, 0)
        async with self.sessions() as session, session.begin():
            await handler(session, received)


@pytest.fixture
def feed(sessions: Sessions) -> Feeder:
    return Feeder(sessions)


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Ids of the right shape that no other test uses."""

    def make(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex}"

    return make
