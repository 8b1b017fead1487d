"""Webhook tests run against a fresh, migrated database of their own on the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import create_engine, text

from trickle_events import Event
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.kafka import ensure_topics
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import EVENTUAL_S, KAFKA, PG_ADMIN, fresh_database, unique_prefix, worker_suffix
from trickle_kit.testing_auth import TokenFactory

SERVICE_DIR = Path(__file__).resolve().parents[1]
LOOPBACK = ["127.0.0.0/8", "::1"]
# The scripted receiver (tests/webhook_receiver.py) is imported by tests as a plain module.
sys.path.insert(0, str(Path(__file__).resolve().parent))


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
def receiver() -> Iterator[Any]:
    from webhook_receiver import Receiver

    r = Receiver().start()
    yield r
    r.stop()


def new_account() -> str:
    return new_id("acct")


class Publisher:
    """Puts events on Kafka the way another service's relay would (CloudEvents, keyed by account)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", linger_ms=2)

    async def publish(self, event: Event, source: str = "trickle-test") -> str:
        env = Envelope(
            id=new_id("evt"),
            type=event.event_type,
            source=source,
            time=utcnow(),
            data=event.model_dump(mode="json"),
            subject=event.subject(),
            schema_version=event.schema_version,
        )
        key = event.partition_key()
        await self.producer.send_and_wait(
            self.prefix + event.topic, value=env.value(), key=key.encode() if key else None, headers=env.headers()
        )
        return env.id


@pytest.fixture
async def publisher(topic_prefix: str) -> AsyncIterator[Publisher]:
    from trickle_events import ALL_TOPICS

    await ensure_topics(KAFKA, [topic_prefix + t for t in ALL_TOPICS])
    p = Publisher(topic_prefix)
    await p.producer.start()
    yield p
    await p.producer.stop()


class RunningWorker:
    def __init__(self, settings: Any) -> None:
        from trickle_webhook.consumers import router_consumer
        from trickle_webhook.delivery.dispatcher import DeliveryWorker

        self.engine = make_engine(settings.database_url, application_name="webhook-test-worker", pool_size=5)
        self.sessions = make_sessionmaker(self.engine)
        self.router = router_consumer(settings, self.sessions)
        self.delivery = DeliveryWorker(settings, self.engine, self.sessions)
        self.relay = OutboxRelay(
            self.engine, self.sessions, bootstrap=KAFKA, topic_prefix=settings.topic_prefix, name="webhook-test-relay"
        )
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> RunningWorker:
        # Each test starts from no endpoints: another test's dead receivers must not share the worker.
        async with self.sessions() as session, session.begin():
            await session.execute(text("DELETE FROM webhook_endpoints"))
        self.tasks = [asyncio.create_task(r(self.stop)) for r in (self.router.run, self.delivery.run, self.relay.run)]
        await asyncio.wait_for(self.delivery.started.wait(), EVENTUAL_S)
        return self

    async def close(self) -> None:
        self.stop.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), EVENTUAL_S)
        await self.engine.dispose()


@pytest.fixture
async def worker(settings) -> AsyncIterator[RunningWorker]:  # type: ignore[no-untyped-def]
    running = await RunningWorker(settings).start()
    yield running
    await running.close()


os.environ.setdefault("TRICKLE_LOG_JSON", "false")
