"""OutboxRelay: publishes committed outbox rows to Kafka, in outbox order, exactly one active relay.

Why one active relay: per-key order (and the seal markers that follow a partition's last
click) holds only if rows are published in id order. Several relays may run; they
compete for a PostgreSQL advisory lock and only its holder publishes, the others stand
by and take over within a second if the holder dies (its session, and so its lock, ends).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, cast

import structlog
from aiokafka import AIOKafkaProducer
from sqlalchemy import BigInteger, Row, Table, Text, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.envelope import Envelope
from trickle_kit.kafka import make_producer
from trickle_kit.metrics import OUTBOX_PUBLISHED
from trickle_kit.outbox import NOTIFY_CHANNEL
from trickle_kit.tables import OutboxRecord

log = structlog.get_logger("trickle.relay")


# Core statements, built once: the relay reads and marks rows, it never needs ORM objects
# (loading and synchronising them was a third of its CPU).
_OUTBOX = cast(Table, OutboxRecord.__table__)
# The payload comes as PostgreSQL's JSON text and goes to Kafka as it is: decoding it into
# dicts and encoding it again was a tenth of the relay's CPU (consumers parse JSON, so key
# order and spacing are not part of the contract).
_CLAIM = (
    select(*(c for c in _OUTBOX.c if c.name != "payload"), _OUTBOX.c.payload.cast(Text).label("payload_json"))
    .where(_OUTBOX.c.published_at.is_(None))
    .order_by(_OUTBOX.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_MARK_PUBLISHED = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger))))
    .values(published_at=func.now())
)


def headers_of(row: Row[*tuple[Any, ...]]) -> list[tuple[str, bytes]]:
    """The CloudEvent headers of a claimed outbox row (its payload is the record's value)."""
    return Envelope(
        id=row.event_id,
        type=row.event_type,
        source=row.source,
        time=row.occurred_at,
        data={},
        subject=row.subject,
        schema_version=row.schema_version,
        traceparent=row.traceparent,  # the trace the event was staged in (NULL when tracing was off)
        tracestate=row.tracestate,
    ).headers()


class OutboxRelay:
    """Claims unpublished rows (FOR UPDATE SKIP LOCKED), sends them with an idempotent producer, marks them sent."""

    def __init__(
        self,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        *,
        bootstrap: str,
        topic_prefix: str = "",
        name: str = "relay",
        batch_size: int = 500,
        idle_wait_s: float = 1.0,
        send_timeout_s: float = 20.0,
    ) -> None:
        self.engine = engine
        self.sessions = sessions
        self.bootstrap = bootstrap
        self.topic_prefix = topic_prefix
        self.name = name
        self.batch_size = batch_size
        self.idle_wait_s = idle_wait_s
        self.send_timeout_s = send_timeout_s
        self._producer: AIOKafkaProducer | None = None
        self._wake = asyncio.Event()
        self.published = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set: wait for leadership, then publish as rows arrive."""
        while not stop.is_set():
            try:
                async with self.engine.connect() as lock_conn:
                    if not await self._try_lead(lock_conn):
                        await _wait(stop, 1.0)
                        continue
                    log.info("relay_leading", relay=self.name)
                    await self._listen(lock_conn)
                    await self._lead(lock_conn, stop)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database away: stand down, try again
                log.warning("relay_error", relay=self.name, error=repr(exc))
                await _wait(stop, 1.0)
        await self._close_producer()

    async def _try_lead(self, conn: AsyncConnection) -> bool:
        got = (await conn.execute(text("SELECT pg_try_advisory_lock(hashtext('trickle_outbox_relay'))"))).scalar_one()
        await conn.commit()
        return bool(got)

    async def _listen(self, conn: AsyncConnection) -> None:
        raw: Any = (await conn.get_raw_connection()).driver_connection
        await raw.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())

    async def _lead(self, lock_conn: AsyncConnection, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            # Leadership is the lock connection's session: prove it is alive before every batch
            # (it raises if not), so a relay whose lock went to a stand-by publishes nothing more.
            await lock_conn.execute(text("SELECT 1"))
            await lock_conn.commit()
            self._wake.clear()  # before the batch: a commit notified while it runs wakes the wait below
            try:
                sent = await self.publish_batch()
                backoff = 0.2
            except Exception as exc:  # Kafka down or slow: keep the rows, retry with backoff
                log.warning("relay_publish_failed", relay=self.name, error=repr(exc), retry_in_s=backoff)
                await self._close_producer()
                await _wait(stop, backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if sent < self.batch_size:
                await _wait_either(stop, self._wake, self.idle_wait_s)

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = make_producer(self.bootstrap, client_id=self.name)
            try:
                await asyncio.wait_for(producer.start(), self.send_timeout_s)
            except BaseException:
                with contextlib.suppress(Exception):
                    await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), 5)

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were sent. Raises if Kafka fails (rows stay)."""
        async with self.sessions() as session, session.begin():
            rows = (await session.execute(_CLAIM, {"limit": self.batch_size})).all()
            if not rows:
                return 0
            producer = await self._ensure_producer()
            futures = []
            for row in rows:
                futures.append(
                    await producer.send(
                        self.topic_prefix + row.topic,
                        value=row.payload_json.encode(),
                        key=row.key.encode() if row.key else None,
                        partition=row.partition,
                        headers=headers_of(row),
                    )
                )
            await asyncio.wait_for(asyncio.gather(*futures), self.send_timeout_s)
            await session.execute(_MARK_PUBLISHED, {"ids": [r.id for r in rows]})
        self.published += len(rows)
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _wait_either(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
