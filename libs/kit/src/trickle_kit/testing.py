"""Test support against the real PostgreSQL and Kafka started by deploy/local (no mocks)."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import create_engine, text

from trickle_kit.envelope import Envelope, EnvelopeError, decode
from trickle_kit.migrations import upgrade
from trickle_kit.settings import DEFAULT_KAFKA, DEFAULT_PG

# The test server (any driver in TRICKLE_TEST_PG is ignored), without a database name.
_PG_HOST = os.environ.get("TRICKLE_TEST_PG", DEFAULT_PG).split("://", 1)[1]
PG_SERVER = f"postgresql+asyncpg://{_PG_HOST}"
PG_ADMIN = f"postgresql+psycopg2://{_PG_HOST}/postgres"
KAFKA = os.environ.get("TRICKLE_KAFKA_BOOTSTRAP", DEFAULT_KAFKA)


def worker_suffix() -> str:
    """Distinguishes pytest-xdist workers (gw0, gw1…) so each gets its own database."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def fresh_database(name: str, service_dir: Path | None = None) -> str:
    """Drop and create database ``name`` (migrated when ``service_dir`` is given); returns its asyncpg URL."""
    drop_database(name)
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = f"{PG_SERVER}/{name}"  # the server the database was just created on
    if service_dir is not None:
        upgrade(service_dir, url)
    return url


# How long a test waits for something that will happen (a consumer joining its group, a relay
# publishing, a worker delivering): a safety net for a machine several times slower than a
# developer's, never a measure of speed. A test asserts what happened, not how soon.
EVENTUAL_S = 60.0


def drop_database(name: str) -> None:
    """Drop database ``name`` (closing any connection still open to it)."""
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# Prefixes issued by unique_prefix in this process: their topics are deleted when it exits, so a
# developer's broker does not gather thousands of partitions over many runs (each costs the
# broker memory, start-up time and metadata on every client's refresh).
_ISSUED_PREFIXES: set[str] = set()
_log = logging.getLogger(__name__)


def unique_prefix(label: str = "t") -> str:
    """A topic prefix no other test run uses: ``<label>-<8 hex>.`` (its topics deleted at exit)."""
    prefix = f"{label}-{uuid.uuid4().hex[:8]}."
    if not _ISSUED_PREFIXES:
        atexit.register(_delete_issued_topics)
    _ISSUED_PREFIXES.add(prefix)
    return prefix


async def delete_topics_with_prefixes(prefixes: set[str], bootstrap: str = KAFKA) -> list[str]:
    """Delete every topic whose name starts with one of ``prefixes``; the names deleted."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        doomed = [t for t in await admin.list_topics() if t.startswith(tuple(prefixes))]
        if doomed:
            await admin.delete_topics(doomed, timeout_ms=10_000)
        return doomed
    finally:
        await admin.close()


def _delete_issued_topics() -> None:
    if not _ISSUED_PREFIXES:
        return
    try:
        asyncio.run(asyncio.wait_for(delete_topics_with_prefixes(set(_ISSUED_PREFIXES)), 20))
    except Exception as exc:  # the broker may be down (outage tests) or gone: leave them
        with contextlib.suppress(Exception):
            _log.warning("test topics not deleted (%s): %s", ", ".join(sorted(_ISSUED_PREFIXES)), exc)


async def wait_until(
    check: Callable[[], Awaitable[bool]], timeout_s: float = EVENTUAL_S, interval_s: float = 0.1
) -> None:
    """Poll ``check`` until it is true; fail the test with a clear message on time-out."""
    deadline = time.monotonic() + timeout_s
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        await asyncio.sleep(interval_s)


async def read_topic(
    topic: str,
    *,
    until: Callable[[list[Envelope]], bool],
    timeout_s: float = EVENTUAL_S,
    settle_s: float = 0.0,
    bootstrap: str = KAFKA,
) -> list[Envelope]:
    """Read ``topic`` from the beginning (no group) until ``until(events)`` holds, then ``settle_s`` more.

    ``settle_s`` lets a test see duplicates that arrive after the expected events.
    """
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        metadata_max_age_ms=1000,
    )
    await consumer.start()
    events: list[Envelope] = []
    deadline = time.monotonic() + timeout_s
    try:
        while not until(events):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{topic}: expected events not seen within {timeout_s} s; got {[e.type for e in events]}"
                )
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for rec in records:
                    try:
                        events.append(decode(rec.headers, rec.value))
                    except EnvelopeError:
                        continue
        settle_until = time.monotonic() + settle_s
        while time.monotonic() < settle_until:
            for records in (await consumer.getmany(timeout_ms=100)).values():
                events.extend(decode(r.headers, r.value) for r in records)
    finally:
        await consumer.stop()
    return events
