"""OutboxRelay: publishes committed outbox rows to Kafka, in outbox order, exactly one active relay.

Why one active relay: per-key order (and the seal markers that follow a partition's last
click) holds only if rows are published in id order. Several relays may run; they
compete for a PostgreSQL advisory lock and only its holder publishes, the others stand
by and take over within a second if the holder dies (its session, and so its lock, ends).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import structlog
from aiokafka import AIOKafkaProducer
from sqlalchemy import BigInteger, Row, Table, Text, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.envelope import ce_headers
from trickle_kit.kafka import make_producer
from trickle_kit.metrics import OUTBOX_PUBLISHED
from trickle_kit.outbox import NOTIFY_CHANNEL
from trickle_kit.partitioner import partition_for
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
    .where(_OUTBOX.c.published_at.is_(None), _OUTBOX.c.id > bindparam("after", type_=BigInteger))
    .order_by(_OUTBOX.c.id)
    .limit(bindparam("limit"))
    # Waits for rows another transaction holds rather than skipping them: a new leader's first
    # claim waits for what the one before it still had in flight (committed, they drop out;
    # rolled back, they are claimed here first), so it never publishes later rows ahead of them.
    .with_for_update()
)
_MARK_PUBLISHED = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger))))
    .values(published_at=func.now())
)


def headers_of(row: Row[*tuple[Any, ...]]) -> list[tuple[str, bytes]]:
    """The CloudEvent headers of a claimed outbox row (its payload is the record's value)."""
    return ce_headers(
        row.event_id,
        row.event_type,
        row.source,
        row.occurred_at,
        row.subject,
        row.schema_version,
        row.traceparent,  # the trace the event was staged in (NULL when tracing was off)
        row.tracestate,
    )


class _LostLeadership(Exception):
    """The lock connection failed: this relay may no longer be the leader, so it stands down."""


@dataclass(frozen=True)
class _Batch:
    """Claimed rows and the open transaction that holds their row locks."""

    session: AsyncSession
    rows: Sequence[Row[*tuple[Any, ...]]]


class _NoSession:
    async def close(self) -> None:
        return None


_NO_BATCH = _Batch(cast(AsyncSession, _NoSession()), ())


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
        # 2,000 rows a batch rather than 500: a batch's acknowledgements, claim and commit are
        # round trips whose count falls with its size (bench-events, relay and inbox in processes
        # of their own: the relay finished 0.4-1.4 s sooner out of 6-8 s, 100,000 events).
        batch_size: int = 2000,
        idle_wait_s: float = 1.0,
        send_timeout_s: float = 20.0,
        pipelined: bool = True,
        producer_factory: Callable[[], AIOKafkaProducer] | None = None,
    ) -> None:
        self.engine = engine
        self.sessions = sessions
        self.bootstrap = bootstrap
        self.topic_prefix = topic_prefix
        self.name = name
        self.batch_size = batch_size
        self.idle_wait_s = idle_wait_s
        self.send_timeout_s = send_timeout_s
        self.pipelined = pipelined  # claim and commit batches while another is on the wire (publish_available)
        self._producer_factory = producer_factory or (lambda: make_producer(bootstrap, client_id=name))
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
            self._wake.clear()  # before the batches: a commit notified while they run wakes the wait below
            try:
                drained = await self.publish_available(lock_conn, stop)
                backoff = 0.2
            except _LostLeadership:
                raise
            except Exception as exc:  # Kafka down or slow: keep the rows, retry with backoff
                log.warning("relay_publish_failed", relay=self.name, error=repr(exc), retry_in_s=backoff)
                await self._close_producer()
                await _wait(stop, backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if drained:
                await _wait_either(stop, self._wake, self.idle_wait_s)

    async def publish_available(self, lock_conn: AsyncConnection, stop: asyncio.Event) -> bool:
        """Publish batches back to back until one is short (True) or ``stop`` is set (False).

        Pipelined (``pipelined=True``): while a batch is on the wire, the next one is claimed and
        the previous one is marked and committed, so the relay's database round trips and commits
        overlap Kafka's acknowledgements. One batch at a time is sent: the next one's records go to
        the producer only once every record of this one is acknowledged, so a batch whose sends fail
        has nothing after it on Kafka; it and the batch claimed behind it are rolled back and sent
        again in outbox order (consumers may see duplicates after the originals, never an event
        ahead of an earlier one of its key). Batches are committed in order. Raises (rows stay
        unpublished) if Kafka or the database fails.
        """
        batch = await self._claim(lock_conn, after=0)
        claiming: asyncio.Task[_Batch] | None = None
        committing: asyncio.Task[None] | None = None
        drained = True
        try:
            while batch.rows:
                drained = len(batch.rows) < self.batch_size
                more = not drained and not stop.is_set()
                if more and self.pipelined:
                    # The next rows, read while this batch is on the wire (its own rows are locked by it).
                    claiming = asyncio.create_task(self._claim(lock_conn, after=batch.rows[-1].id))
                await self._send(batch)
                if committing is not None:
                    previous, committing = committing, None
                    await previous  # the batch before this one commits first
                committing, batch = asyncio.create_task(self._commit(batch)), _NO_BATCH
                if not more:
                    break
                if claiming is None:  # one batch at a time: committed before the next is claimed
                    previous, committing = committing, None
                    await previous
                    batch = await self._claim(lock_conn, after=0)
                else:
                    claimed, claiming = claiming, None
                    batch = await claimed
            if committing is not None:
                previous, committing = committing, None
                await previous
        finally:
            # After a failure: what is not committed rolls back (its session closes), rows stay unpublished.
            if committing is not None:
                with contextlib.suppress(Exception):
                    await committing
            if claiming is not None:
                with contextlib.suppress(Exception):
                    await (await claiming).session.close()
            await batch.session.close()
        return drained

    async def _claim(self, lock_conn: AsyncConnection, *, after: int) -> _Batch:
        # Leadership is the lock connection's session: prove it is alive before every batch
        # (it raises if not), so a relay whose lock went to a stand-by publishes nothing more.
        try:
            await lock_conn.execute(text("SELECT 1"))
            await lock_conn.commit()
        except Exception as exc:
            raise _LostLeadership(repr(exc)) from exc
        session = self.sessions()
        try:
            await session.begin()
            rows = (await session.execute(_CLAIM, {"limit": self.batch_size, "after": after})).all()
        except BaseException:
            await session.close()
            raise
        return _Batch(session, rows)

    async def _send(self, batch: _Batch) -> None:
        """Send a batch's rows and wait for every acknowledgement (acks=all)."""
        producer = await self._ensure_producer()
        # Each keyed row's partition is chosen here, as Kafka's default partitioner would
        # (trickle_kit.partitioner): the producer's own choice rebuilt partition lists per record.
        partitions: dict[str, list[int]] = {}
        futures = []
        for row in batch.rows:
            topic = self.topic_prefix + row.topic
            partition = row.partition
            key = row.key.encode() if row.key else None
            if partition is None and key is not None:
                of_topic = partitions.get(topic)
                if of_topic is None:
                    of_topic = partitions[topic] = sorted(await producer.partitions_for(topic))
                partition = partition_for(key, of_topic)
            futures.append(
                await producer.send(
                    topic,
                    value=row.payload_json.encode(),
                    key=key,
                    partition=partition,
                    headers=headers_of(row),
                )
            )
        await asyncio.wait_for(asyncio.gather(*futures), self.send_timeout_s)

    async def _commit(self, batch: _Batch) -> None:
        """Mark a sent batch's rows published and commit."""
        try:
            await batch.session.execute(_MARK_PUBLISHED, {"ids": [r.id for r in batch.rows]})
            await batch.session.commit()
        finally:
            await batch.session.close()
        self.published += len(batch.rows)
        OUTBOX_PUBLISHED.inc(len(batch.rows))

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory()
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
