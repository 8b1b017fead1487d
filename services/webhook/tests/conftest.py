"""Webhook tests run against a fresh, migrated database of their own on the real PostgreSQL and Kafka.

Fixtures only; every helper tests share (receiver, publisher, worker, delivery steps) is in ``support/``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from trickle_kit.kafka import ensure_topics
from trickle_kit.testing import KAFKA, PG_ADMIN, fresh_database, unique_prefix, worker_suffix
from trickle_kit.testing_auth import TokenFactory

from .support.kafka import Publisher
from .support.receiver import Receiver
from .support.worker import RunningWorker

SERVICE_DIR = Path(__file__).resolve().parents[1]
LOOPBACK = ["127.0.0.0/8", "::1"]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    # The pid keeps two concurrent runs (two engineers, or CI) from dropping each other's database.
    name = f"test_webhook_{worker_suffix()}_{os.getpid()}"
    yield fresh_database(name, SERVICE_DIR)
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def topic_prefix() -> str:
    return unique_prefix("webhook")


@pytest.fixture
def settings(database_url: str, topic_prefix: str):  # type: ignore[no-untyped-def]
    from trickle_webhook.settings import Settings

    # A compressed schedule: what takes hours in production takes fractions of a second here.
    return Settings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        log_json=False,
        db_pool_size=5,
        ssrf_allow=LOOPBACK,
        retry_schedule_s=[0, 0.3, 0.3, 0.3],
        retry_jitter=0.2,
        # Receivers answer at once; a busy machine must not turn an answer into a time-out (nor
        # let a lease, time-out + margin, run out before the outcome is written: a second attempt).
        attempt_timeout_s=10.0,
        lease_margin_s=1.0,
        poll_interval_s=0.05,
    )


@pytest.fixture
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture
async def client(settings, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    from trickle_webhook.app import build_app

    app = build_app(settings)
    app.state.verifier = tokens.verifier()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://webhook.test") as c:
            yield c


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
async def publisher(topic_prefix: str) -> AsyncIterator[Publisher]:
    from trickle_events import ALL_TOPICS

    await ensure_topics(KAFKA, [topic_prefix + t for t in ALL_TOPICS])
    p = Publisher(topic_prefix)
    await p.producer.start()
    yield p
    await p.producer.stop()


@pytest.fixture
async def worker(settings) -> AsyncIterator[RunningWorker]:  # type: ignore[no-untyped-def]
    running = await RunningWorker(settings).start()
    yield running
    await running.close()


os.environ.setdefault("TRICKLE_LOG_JSON", "false")
