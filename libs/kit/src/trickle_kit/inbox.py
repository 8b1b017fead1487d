"""InboxConsumer: applies each event once, in the same transaction as its effect; poison goes to ``<topic>.dlq``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import BaseModel, ValidationError
from sqlalchemy import String, bindparam, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.envelope import Envelope, EnvelopeError, decode
from trickle_kit.kafka import make_consumer
from trickle_kit.metrics import INBOX_APPLIED, INBOX_DEAD_LETTERS, record_consumer_lag
from trickle_kit.tables import ProcessedEvent
from trickle_kit.tracing import consumer_span

log = structlog.get_logger("trickle.inbox")

# Claims every event id of a batch in one statement, built once (a multi-row VALUES of
# each batch's size was compiled anew per batch: a tenth of the consumer's CPU).
_CLAIM = text(
    """
    INSERT INTO processed_events (consumer, event_id)
    SELECT :consumer, e.event_id FROM unnest(:ids) AS e(event_id)
    ON CONFLICT DO NOTHING
    RETURNING event_id
    """
).bindparams(bindparam("consumer", type_=String), bindparam("ids", type_=ARRAY(String)))

# SQLSTATEs worth retrying the whole batch for, rather than dead-lettering the event.
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03", "57P01", "08000", "08003", "08006"}


@dataclass(frozen=True)
class Received:
    """An event as a handler sees it: the parsed model, its envelope and where it came from."""

    event: BaseModel
    envelope: Envelope
    topic: str
    partition: int
    offset: int


Handler = Callable[[AsyncSession, Received], Awaitable[None]]
# Called with the batch's session after its handlers, before the commit (see InboxConsumer).
BatchHook = Callable[[AsyncSession], Awaitable[None]]


class _HandlerFailed(Exception):
    """A handler raised in the fast (one transaction, no savepoints) path."""


class PermanentError(Exception):
    """A handler's way to say: this event can never be applied; dead-letter it."""


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        return code in _TRANSIENT_SQLSTATES or bool(exc.connection_invalidated)
    return isinstance(exc, (ConnectionError, OSError))


class InboxConsumer:
    """Consumes logical ``topics``; calls ``handlers[event_type]`` once per event id.

    ``name`` identifies the consumer in the inbox table, independent of the Kafka group:
    a replay under a new group id (from offset 0) still finds every event applied.
    Unknown event types on the topics are skipped (they are for someone else).

    ``on_batch_end`` (optional) runs in the batch's transaction after its handlers and before the
    commit: handlers may accumulate writes (in ``session.info``) and the hook issues them once per
    batch, set-based. When a batch is redone one savepoint per event (a handler or the hook
    failed), the hook runs after each event inside that event's savepoint, so a failure is the
    event's and dead-letters only it.
    """

    def __init__(
        self,
        *,
        name: str,
        topics: list[str],
        sessions: async_sessionmaker[AsyncSession],
        handlers: Mapping[str, Handler],
        registry: Mapping[str, type[BaseModel]],
        bootstrap: str,
        topic_prefix: str = "",
        group_id: str | None = None,
        batch_size: int = 500,
        consumer_factory: Callable[[], AIOKafkaConsumer] | None = None,
        on_batch_end: BatchHook | None = None,
    ) -> None:
        self.name = name
        self.on_batch_end = on_batch_end
        self.topic_prefix = topic_prefix
        self.topics = [topic_prefix + t for t in topics]
        self.sessions = sessions
        self.handlers = dict(handlers)
        self.registry = registry
        self.bootstrap = bootstrap
        self.group_id = group_id or f"{topic_prefix}{name}"
        self.batch_size = batch_size
        self._consumer_factory = consumer_factory or (
            lambda: make_consumer(bootstrap, *self.topics, group_id=self.group_id, client_id=name)
        )
        self.applied = 0
        self.consumed = 0
        self.dead_lettered = 0
        self.started = asyncio.Event()
        for topic in self.topics:  # scraped at 0 before any: the alert's increase() sees the first dead letter
            INBOX_DEAD_LETTERS.labels(name, topic)

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set; reconnects when Kafka goes away."""
        while not stop.is_set():
            consumer = self._consumer_factory()
            dlq = AIOKafkaProducer(bootstrap_servers=self.bootstrap, client_id=f"{self.name}-dlq", acks="all")
            committing: asyncio.Task[None] | None = None
            try:
                await consumer.start()
                await dlq.start()
                self.started.set()
                while not stop.is_set():
                    batches = await consumer.getmany(timeout_ms=300, max_records=self.batch_size)
                    if not batches:
                        await record_consumer_lag(self.name, consumer)
                        continue
                    # Every partition of the poll in one transaction (one commit, one claim statement):
                    # each partition's records keep their order, and a key lives in one partition.
                    records = [rec for recs in batches.values() for rec in recs]
                    if not await self._process(records, dlq, stop):
                        return  # stopped while the database was away: nothing applied, nothing committed
                    self.consumed += len(records)
                    # The poll's offsets are committed while the next poll is applied (a broker round
                    # trip per poll: ~18 % of the inbox's wall time in a worker process of its own,
                    # bench-events): after its transaction, and after the commit before it, so offsets
                    # only move forward past applied events.
                    if committing is not None:
                        previous, committing = committing, None
                        await previous
                    committing = asyncio.create_task(
                        _commit(consumer, {tp: recs[-1].offset + 1 for tp, recs in batches.items()})
                    )
                    await record_consumer_lag(self.name, consumer)
            except asyncio.CancelledError:
                raise
            except (KafkaError, OSError) as exc:
                log.warning("inbox_kafka_error", consumer=self.name, error=repr(exc))
                await _sleep(stop, 1.0)
            finally:
                if committing is not None:  # the last poll's offsets, before the consumer goes
                    with contextlib.suppress(Exception):
                        await committing
                with contextlib.suppress(Exception):
                    await consumer.stop()
                with contextlib.suppress(Exception):
                    await dlq.stop()

    async def _process(
        self, records: list[ConsumerRecord[bytes, bytes]], dlq: AIOKafkaProducer, stop: asyncio.Event
    ) -> bool:
        """Apply ``records``; False if ``stop`` was set while retrying a transient database error."""
        parsed: list[tuple[ConsumerRecord[bytes, bytes], Received]] = []
        seen: set[str] = set()
        for rec in records:
            try:
                env = decode(rec.headers, rec.value)
            except EnvelopeError as exc:
                await self._dead_letter(dlq, rec, f"envelope: {exc}")
                continue
            model = self.registry.get(env.type)
            if model is None or env.type not in self.handlers or env.id in seen:
                continue
            try:
                event = model.model_validate(env.data)
            except ValidationError as exc:
                await self._dead_letter(dlq, rec, f"payload: {exc.errors(include_url=False)}"[:2000])
                continue
            seen.add(env.id)
            parsed.append((rec, Received(event, env, rec.topic, rec.partition, rec.offset)))
        if not parsed:
            return True
        backoff = 0.2
        while True:
            try:
                await self._apply(parsed, dlq)
                break
            except Exception as exc:
                if not _is_transient(exc):
                    raise
                log.warning("inbox_transient_error", consumer=self.name, error=repr(exc), retry_in_s=backoff)
                await _sleep(stop, backoff)
                if stop.is_set():
                    return False
                backoff = min(backoff * 2, 5.0)
        return True

    async def _apply(
        self, parsed: list[tuple[ConsumerRecord[bytes, bytes], Received]], dlq: AIOKafkaProducer
    ) -> list[tuple[ConsumerRecord[bytes, bytes], str]]:
        """Apply a batch in one transaction; a failing handler makes us redo it one savepoint per event."""
        try:
            return await self._apply_batch(parsed, dlq, isolate=False)
        except _HandlerFailed:
            return await self._apply_batch(parsed, dlq, isolate=True)

    async def _apply_batch(
        self, parsed: list[tuple[ConsumerRecord[bytes, bytes], Received]], dlq: AIOKafkaProducer, *, isolate: bool
    ) -> list[tuple[ConsumerRecord[bytes, bytes], str]]:
        failures: list[tuple[ConsumerRecord[bytes, bytes], str]] = []
        applied = 0
        async with self.sessions() as session, session.begin():
            # Claim every event id of the batch at once. A concurrent consumer (after a
            # rebalance) that claimed one blocks us here until it commits; then we skip it.
            claimed = set(
                (
                    await session.execute(_CLAIM, {"consumer": self.name, "ids": [r.envelope.id for _, r in parsed]})
                ).scalars()
            )
            for rec, received in parsed:
                if received.envelope.id not in claimed:
                    continue
                handler = self.handlers[received.envelope.type]
                if not isolate:
                    try:
                        with self._span(received):
                            await handler(session, received)
                    except Exception as exc:
                        if _is_transient(exc):
                            raise
                        raise _HandlerFailed from exc
                    applied += 1
                    continue
                try:
                    async with session.begin_nested():
                        with self._span(received):
                            await handler(session, received)
                        if self.on_batch_end is not None:
                            await self.on_batch_end(session)
                except Exception as exc:
                    if _is_transient(exc):
                        raise
                    error = f"{type(exc).__name__}: {exc}"[:2000]
                    log.error(
                        "inbox_handler_failed",
                        consumer=self.name,
                        event_id=received.envelope.id,
                        event_type=received.envelope.type,
                        error=error,
                    )
                    failures.append((rec, error))
                    await session.execute(
                        update(ProcessedEvent)
                        .where(ProcessedEvent.consumer == self.name, ProcessedEvent.event_id == received.envelope.id)
                        .values(outcome="dead", error=error)
                    )
                    continue
                applied += 1
            if not isolate and applied and self.on_batch_end is not None:
                try:
                    await self.on_batch_end(session)
                except Exception as exc:
                    if _is_transient(exc):
                        raise
                    raise _HandlerFailed from exc
            # The records go to <topic>.dlq before the dead notes commit: a note without its record
            # (Kafka away in between) would make the event skipped for good, with nothing to replay.
            for rec, reason in failures:
                await self._dead_letter(dlq, rec, reason)
        self.applied += applied
        INBOX_APPLIED.labels(self.name).inc(applied)
        return failures

    def _span(self, received: Received) -> contextlib.AbstractContextManager[Any]:
        """The event's consumer span, a child of its CloudEvent's traceparent (a no-op with tracing off)."""
        return consumer_span(self.name, received.envelope, received.topic, received.partition, received.offset)

    async def _dead_letter(self, dlq: AIOKafkaProducer, rec: ConsumerRecord[bytes, bytes], reason: str) -> None:
        headers: list[tuple[str, bytes]] = [*list(rec.headers)]
        headers += [
            ("dlq_reason", reason.encode()),
            ("dlq_consumer", self.name.encode()),
            ("dlq_topic", rec.topic.encode()),
            ("dlq_partition", str(rec.partition).encode()),
            ("dlq_offset", str(rec.offset).encode()),
        ]
        log.warning("dead_lettered", consumer=self.name, topic=rec.topic, offset=rec.offset, reason=reason[:300])
        await dlq.send_and_wait(f"{rec.topic}.dlq", value=rec.value, key=rec.key, headers=headers)
        self.dead_lettered += 1
        INBOX_DEAD_LETTERS.labels(self.name, rec.topic).inc()


async def _commit(consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
    with contextlib.suppress(CommitFailedError):  # partitions taken by a rebalance: their new owner goes on
        await consumer.commit(offsets)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def registry_of(models: Mapping[str, Any]) -> dict[str, type[BaseModel]]:
    """Helper for services: keep only pydantic model classes."""
    return {k: v for k, v in models.items() if isinstance(v, type) and issubclass(v, BaseModel)}


__all__ = ["BatchHook", "Handler", "InboxConsumer", "PermanentError", "Received", "TopicPartition"]
