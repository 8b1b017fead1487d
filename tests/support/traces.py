"""What the trace tests (tests/traces) share, besides ``trickle_kit.testing_traces``: a
sandbox callback path that carries the trace context as an instrumented HTTP client would, and the
services' databases, apps and workers run in the test process (so one exporter sees them all)."""

from __future__ import annotations

import asyncio
import contextvars
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from trickle_kit import tracing
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.kafka import ensure_topics
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import EVENTUAL_S, KAFKA, PG_ADMIN, fresh_database, unique_prefix, worker_suffix
from trickle_kit.worker import Runnable

REPO = Path(__file__).resolve().parents[2]


class AcrossTheNetwork(httpx.ASGITransport):
    """An ASGI transport whose app runs in a fresh context, as a request arriving on a socket does: the
    server sees only what the request's headers carry (an in-process call would see the caller's span)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        call = super().handle_async_request(request)
        return await asyncio.create_task(call, context=contextvars.Context())


def traced_asgi_deliver(app: FastAPI) -> Callable[[str, dict[str, str], bytes], Awaitable[int]]:
    """The sandbox's callbacks into ``app`` through the kit's client transport, as ``http_deliver`` sends
    them over the network."""

    async def deliver(path: str, headers: dict[str, str], body: bytes) -> int:
        transport = tracing.client_transport(AcrossTheNetwork(app=app))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox-provider") as client:
            response = await client.post(path, headers=headers, content=body)
            return response.status_code

    return deliver


@dataclass
class Databases:
    wallet: str
    settlement: str
    topic_prefix: str


@contextmanager
def service_databases() -> Iterator[Databases]:
    """Fresh, migrated wallet and settlement databases and a topic prefix of their own."""
    tag = f"{worker_suffix()}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    names = {svc: f"test_traces_{svc}_{tag}" for svc in ("wallet", "settlement")}
    urls = {svc: fresh_database(name, REPO / "services" / svc) for svc, name in names.items()}
    try:
        yield Databases(urls["wallet"], urls["settlement"], unique_prefix("traces"))
    finally:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@asynccontextmanager
async def running(runnables: Sequence[Runnable]) -> AsyncIterator[None]:
    """Run worker tasks (relays, consumers) for the block; stop them cleanly after it."""
    stop = asyncio.Event()
    tasks = [asyncio.ensure_future(r(stop)) for r in runnables]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), EVENTUAL_S)


@asynccontextmanager
async def settlement_worker(database_url: str, topic_prefix: str) -> AsyncIterator[None]:
    """The settlement worker's consumers and outbox relay, in this process."""
    from trickle_settlement.consumers import consumers
    from trickle_settlement.settings import Settings

    settings = Settings(database_url=database_url, topic_prefix=topic_prefix, log_json=True, db_pool_size=3)
    engine = make_engine(database_url, application_name="traces-settlement-worker", pool_size=3)
    sessions = make_sessionmaker(engine)
    relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=topic_prefix, name="traces-settlement-relay")
    try:
        async with running([*consumers(settings, engine, sessions), relay.run]):
            yield
    finally:
        await engine.dispose()


async def topics_ready(topic_prefix: str) -> None:
    from trickle_events.topics import ALL_TOPICS

    await ensure_topics(KAFKA, [topic_prefix + t for t in ALL_TOPICS])
