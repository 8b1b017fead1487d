"""OutboxRelay: publishes committed outbox rows to Kafka, in outbox order, exactly one active relay.

Why one active relay: per-key order (and the seal markers that follow a partition's last
click) holds only if rows are published in id order. Several relays may run; they
compete for a PostgreSQL advisory lock and only its holder publishes, the others stand
by and take over within a second if the holder dies or stops (its session, and so its lock, ends).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from asyncpg.transaction import Transaction
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from trickle_kit.envelope import ce_headers
from trickle_kit.kafka import make_producer
from trickle_kit.metrics import OUTBOX_PUBLISHED
from trickle_kit.outbox import NOTIFY_CHANNEL
from trickle_kit.partitioner import partition_for
from trickle_kit.tables import OutboxRecord

log = structlog.get_logger("trickle.relay")


_OUTBOX = cast(Table, OutboxRecord.__table__)
# One statement claims a batch and marks it published: the rows' new versions are the claim's
# locks while the batch is on the wire, committed once every record is acknowledged (a failed
# batch rolls back: its rows are unpublished again). Before, a claim locked the rows
# (FOR UPDATE) and a second statement marked them: a lock record per row in the WAL and a
# round trip more per batch. ``published_at`` is the same as then: ``now()``, the transaction's
# start. The subquery reads the first unpublished rows without locking; the update waits for
# any of them another transaction holds (a former leader's batch in flight) and then takes it
# only if still unpublished (committed, it drops out; rolled back, it is claimed here first),
# so a new leader never publishes later rows ahead of its predecessor's. The ids as an array
# (evaluated once), not ``id IN (subquery)``: the semi-join scanned the whole outbox for every
# batch (73 ms per 2,000-row claim behind 300,000 unpublished rows, against 24 ms by the array),
# and the array's index scan locks the rows in id order, as ``FOR UPDATE`` did.
# Only rows, never ORM objects (loading and synchronising them was a third of the relay's CPU);
# the payload as PostgreSQL's JSON text, sent to Kafka as it is (decoding it into dicts and
# encoding it again was a tenth of the relay's CPU; consumers parse JSON, so key order and
# spacing are not part of the contract).
_CLAIM = f"""
    UPDATE outbox SET published_at = now()
     WHERE published_at IS NULL
       AND id = ANY(ARRAY(SELECT id FROM outbox WHERE published_at IS NULL AND id > $1 ORDER BY id LIMIT $2))
    RETURNING {", ".join(c.name for c in _OUTBOX.c if c.name not in ("payload", "published_at"))},
              payload::text AS payload_json
"""


def headers_of(row: asyncpg.Record) -> list[tuple[str, bytes]]:
    """The CloudEvent headers of a claimed outbox row (its payload is the record's value)."""
    return ce_headers(
        row["event_id"],
        row["event_type"],
        row["source"],
        row["occurred_at"],
        row["subject"],
        row["schema_version"],
        row["traceparent"],  # the trace the event was staged in (NULL when tracing was off)
        row["tracestate"],
    )


class _LostLeadership(Exception):
    """The lock connection failed: this relay may no longer be the leader, so it stands down."""


@dataclass(frozen=True)
class _Batch:
    """Claimed rows, in outbox order, and the open transaction that holds them (on a pooled connection)."""

    connection: AsyncConnection | None
    driver: asyncpg.Connection | None
    transaction: Transaction | None
    rows: Sequence[asyncpg.Record]

    async def close(self) -> None:
        """Roll back what is not committed, and give the connection back to the pool (one the server
        closed is invalidated, as SQLAlchemy does when it sees the disconnect)."""
        if self.connection is None:
            return
        try:
            if self.driver is not None and self.driver.is_closed():
                await self.connection.invalidate()
            elif self.transaction is not None and self.driver is not None and self.driver.is_in_transaction():
                await self.transaction.rollback()
        finally:
            await self.connection.close()


_NO_BATCH = _Batch(None, None, None, ())


class OutboxRelay:
    """Claims unpublished rows in id order (marking them published in the claim's transaction), sends them
    with an idempotent producer, and commits once they are acknowledged.

    Claims run on ``engine``'s connections with the driver's own statements (a session per batch
    cost more than its statements).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        bootstrap: str,
        topic_prefix: str = "",
        name: str = "relay",
        # 2,000 rows a batch rather than 500: a batch's acknowledgements, claim and commit are
        # round trips whose count falls with its size (bench-events, relay and inbox in processes
        # of their own: the relay finished 0.4-1.4 s sooner out of 6-8 s, 100,000 events).
        batch_size: int = 2000,
        idle_wait_s: float = 1.0,
        # Woken by a commit's NOTIFY, wait this long before claiming: under a stream of small commits
        # (a click batch every few milliseconds) one claim, send and commit then carries several of
        # them instead of one each. Events reach Kafka up to this much later.
        linger_s: float = 0.0,
        send_timeout_s: float = 20.0,
        pipelined: bool = True,
        producer_factory: Callable[[], AIOKafkaProducer] | None = None,
    ) -> None:
        self.engine = engine
        self.bootstrap = bootstrap
        self.topic_prefix = topic_prefix
        self.name = name
        self.batch_size = batch_size
        self.idle_wait_s = idle_wait_s
        self.linger_s = linger_s
        self.send_timeout_s = send_timeout_s
        self.pipelined = pipelined  # claim and commit batches while another is on the wire (publish_available)
        self._producer_factory = producer_factory or (lambda: make_producer(bootstrap, client_id=name))
        self._producer: AIOKafkaProducer | None = None
        self._wake = asyncio.Event()
        self.published = 0
        self.batches = 0  # batches committed (each a claim, a send and a commit)

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set: wait for leadership, then publish as rows arrive."""
        while not stop.is_set():
            try:
                async with self.engine.connect() as lock_conn:
                    if not await self._try_lead(lock_conn):
                        await _wait(stop, 1.0)
                        continue
                    try:
                        log.info("relay_leading", relay=self.name)
                        await self._listen(lock_conn)
                        await self._lead(lock_conn, stop)
                    finally:
                        await _give_up_lead(lock_conn)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database away: stand down, try again
                log.warning("relay_error", relay=self.name, error=repr(exc))
                await _wait(stop, 1.0)
        await self._close_producer()

    async def _try_lead(self, conn: AsyncConnection) -> bool:
        try:
            got = (
                await conn.execute(text("SELECT pg_try_advisory_lock(hashtext('trickle_outbox_relay'))"))
            ).scalar_one()
            await conn.commit()
        except BaseException:
            await _give_up_lead(conn)  # the lock may be held already: never pooled with it
            raise
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
                if self.linger_s > 0 and self._wake.is_set():
                    await _wait(stop, self.linger_s)

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
                    claiming = asyncio.create_task(self._claim(lock_conn, after=batch.rows[-1]["id"]))
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
                    await (await claiming).close()
            await batch.close()
        return drained

    async def _claim(self, lock_conn: AsyncConnection, *, after: int) -> _Batch:
        # Leadership is the lock connection's session: prove it is alive before every batch
        # (it raises if not), so a relay whose lock went to a stand-by publishes nothing more.
        # On the driver, outside a transaction: one round trip, no commit.
        try:
            lock_driver: asyncpg.Connection = (await lock_conn.get_raw_connection()).driver_connection
            await lock_driver.fetchval("SELECT 1")
        except Exception as exc:
            # Probed on the driver, SQLAlchemy did not see a dead connection: drop it from the pool.
            with contextlib.suppress(Exception):
                await lock_conn.invalidate()
            raise _LostLeadership(repr(exc)) from exc
        connection = await self.engine.connect()
        try:
            driver: asyncpg.Connection = (await connection.get_raw_connection()).driver_connection
            transaction = driver.transaction()
            await transaction.start()
            # The update returns rows in no particular order; they go to Kafka in the outbox's.
            rows = sorted(await driver.fetch(_CLAIM, after, self.batch_size), key=_outbox_id)
        except BaseException:
            # A failed or cancelled BEGIN or claim leaves the connection's transaction state unknown
            # (asyncpg may still count a transaction the server never began): never pooled again.
            with contextlib.suppress(Exception):
                await connection.invalidate()
            await connection.close()
            raise
        return _Batch(connection, driver, transaction, rows)

    async def _send(self, batch: _Batch) -> None:
        """Send a batch's rows and wait for every acknowledgement (acks=all)."""
        producer = await self._ensure_producer()
        # Each keyed row's partition is chosen here, as Kafka's default partitioner would
        # (trickle_kit.partitioner): the producer's own choice rebuilt partition lists per record.
        partitions: dict[str, list[int]] = {}
        futures = []
        for row in batch.rows:
            topic = self.topic_prefix + row["topic"]
            partition = row["partition"]
            key = row["key"].encode() if row["key"] else None
            if partition is None and key is not None:
                of_topic = partitions.get(topic)
                if of_topic is None:
                    of_topic = partitions[topic] = sorted(await producer.partitions_for(topic))
                partition = partition_for(key, of_topic)
            futures.append(
                await producer.send(
                    topic,
                    value=row["payload_json"].encode(),
                    key=key,
                    partition=partition,
                    headers=headers_of(row),
                )
            )
        await asyncio.wait_for(asyncio.gather(*futures), self.send_timeout_s)

    async def _commit(self, batch: _Batch) -> None:
        """Commit a sent batch (the claim marked its rows published)."""
        assert batch.transaction is not None
        try:
            await batch.transaction.commit()
        finally:
            await batch.close()
        self.published += len(batch.rows)
        self.batches += 1
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


async def _give_up_lead(lock_conn: AsyncConnection) -> None:
    """End the session that holds the lead. Its advisory lock is session-level: handed back to the
    pool, the idle connection would keep holding it, and every other relay of the database (one on
    the same pool too) would stand by for as long as the pool kept that connection. Closing the
    session also ends its LISTEN, and with it the notifications this relay would still be sent."""
    with contextlib.suppress(Exception):
        await lock_conn.invalidate()


def _outbox_id(row: asyncpg.Record) -> int:
    return int(row["id"])


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
