"""Transactional outbox: ``outbox.add(session, event)`` writes the event with the caller's change."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

import asyncpg
from sqlalchemy import DateTime, Integer, String, Table, Text, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.db import DriverStatement
from trickle_kit.envelope import Publishable, payload_text, utcnow
from trickle_kit.ids import new_id
from trickle_kit.tables import OutboxRecord
from trickle_kit.tracing import staged, trace_context

NOTIFY_CHANNEL = "trickle_outbox"

_ADD_COLUMNS = (
    "event_id",
    "topic",
    "key",
    "partition",
    "event_type",
    "source",
    "subject",
    "schema_version",
    "payload",
    "occurred_at",
    "traceparent",
    "tracestate",
)
# Built once (statement construction and its cache key cost more than running it).
_OUTBOX = cast(Table, OutboxRecord.__table__)  # Core: an ORM insert given parameters would run as a bulk insert
_STAGED = (
    insert(_OUTBOX)
    .values({name: bindparam(name, type_=_OUTBOX.c[name].type) for name in _ADD_COLUMNS})
    .returning(_OUTBOX.c.id)
    .cte("staged")
)
_ADD = select(func.pg_notify(NOTIFY_CHANNEL, "")).select_from(_STAGED)
_ADD_MANY = text(
    f"""
    WITH staged AS (
        INSERT INTO outbox (event_id, topic, key, partition, event_type, source, subject, schema_version, payload,
                            occurred_at, traceparent, tracestate)
        SELECT e.event_id, e.topic, e.key, e.partition, e.event_type, :source, e.subject, e.schema_version,
               e.payload, :occurred_at, e.traceparent, e.tracestate
          FROM unnest(:event_ids, :topics, :keys, :partitions, :event_types, :subjects, :versions, :payloads,
                      :traceparents, :tracestates)
               WITH ORDINALITY AS e(event_id, topic, key, partition, event_type, subject, schema_version, payload,
                                    traceparent, tracestate, ord)
         ORDER BY e.ord
        RETURNING 1
    )
    SELECT pg_notify('{NOTIFY_CHANNEL}', '') WHERE EXISTS (SELECT FROM staged)
    """
).bindparams(
    *(
        bindparam(name, type_=ARRAY(String))
        for name in ("event_ids", "topics", "keys", "event_types", "subjects", "traceparents")
    ),
    bindparam("partitions", type_=ARRAY(Integer)),
    bindparam("versions", type_=ARRAY(Integer)),
    bindparam("payloads", type_=ARRAY(Text)),
    bindparam("tracestates", type_=ARRAY(Text)),
    bindparam("source", type_=String),
    bindparam("occurred_at", type_=DateTime(timezone=True)),
)
_ADD_MANY_ON_DRIVER = DriverStatement(_ADD_MANY)


class Outbox:
    """The outbox of one service (``source`` names it in every CloudEvent)."""

    def __init__(self, source: str) -> None:
        self.source = source

    async def add(
        self,
        session: AsyncSession,
        event: Publishable,
        *,
        partition: int | None = None,
    ) -> str:
        """Stage ``event`` in the session's transaction; returns its CloudEvent id.

        Nothing is published unless the transaction commits. ``partition`` pins the
        record to one partition (seal markers); otherwise the event's key decides.
        """
        eid = new_id("evt")
        payload: dict[str, Any] = event.model_dump(mode="json")
        traceparent, tracestate = trace_context()  # the request's (or consumer's) span: the event continues its trace
        # One round trip: the insert, and the notification that wakes the relay when the
        # transaction commits (identical notifications in a transaction fold into one).
        await session.execute(
            _ADD,
            {
                "event_id": eid,
                "topic": event.topic,
                "key": event.partition_key(),
                "partition": partition,
                "event_type": event.event_type,
                "source": self.source,
                "subject": event.subject(),
                "schema_version": event.schema_version,
                "payload": payload,
                "occurred_at": utcnow(),
                "traceparent": traceparent,
                "tracestate": tracestate,
            },
        )
        staged((event,), (eid,))
        return eid

    async def add_many(
        self,
        session: AsyncSession,
        events: Sequence[Publishable],
        *,
        partitions: Sequence[int | None] | None = None,
        trace_contexts: Sequence[tuple[str | None, str | None]] | None = None,
        chunk_size: int = 1000,
    ) -> list[str]:
        """Stage ``events`` in the session's transaction, in order, in one batched statement per ``chunk_size``.

        The same as calling ``add`` for each (keyed by each event's partition key, or pinned
        to ``partitions[i]`` when given), for bulk writers that cannot afford two round trips
        per event. Each event continues the current span's trace, or ``trace_contexts[i]``
        (``(traceparent, tracestate)``, see ``trickle_kit.tracing``) when given: a group commit
        writes events of several requests. Returns the CloudEvent ids.
        """
        ids, chunks = _add_many_params(self.source, events, partitions, trace_contexts, chunk_size)
        for params in chunks:
            await session.execute(_ADD_MANY, params)
        staged(events, ids)
        return ids

    async def add_many_on(
        self,
        connection: asyncpg.Connection,
        events: Sequence[Publishable],
        *,
        partitions: Sequence[int | None] | None = None,
        trace_contexts: Sequence[tuple[str | None, str | None]] | None = None,
        chunk_size: int = 1000,
    ) -> list[str]:
        """``add_many`` on the driver's connection, in its transaction (``trickle_kit.db.driver_transaction``):
        the same statement, for hot paths that do without a session."""
        ids, chunks = _add_many_params(self.source, events, partitions, trace_contexts, chunk_size)
        for params in chunks:
            await _ADD_MANY_ON_DRIVER.fetch(connection, params)
        staged(events, ids)
        return ids

    async def copy_many(self, session: AsyncSession, events: Sequence[Publishable]) -> list[str]:
        """The same as ``add_many``, written with one ``COPY`` (bulk writers staging tens of thousands of events).

        Rows keep the given order (the outbox ids are drawn in COPY order). Returns the CloudEvent ids.
        """
        ids = [new_id("evt") for _ in events]
        if not events:
            return ids
        now = utcnow()
        dumps = json.JSONEncoder(separators=(",", ":")).encode
        traceparent, tracestate = trace_context()
        records = [
            (
                eid,
                event.topic,
                event.partition_key(),
                None,
                event.event_type,
                self.source,
                event.subject(),
                event.schema_version,
                payload_text(event, dumps),
                now,
                traceparent,
                tracestate,
            )
            for eid, event in zip(ids, events, strict=True)
        ]
        connection = await session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        await raw.copy_records_to_table(  # type: ignore[union-attr]
            OutboxRecord.__tablename__,
            records=records,
            columns=[
                "event_id",
                "topic",
                "key",
                "partition",
                "event_type",
                "source",
                "subject",
                "schema_version",
                "payload",
                "occurred_at",
                "traceparent",
                "tracestate",
            ],
        )
        await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")))
        staged(events, ids)
        return ids


async def pending_count(session: AsyncSession) -> int:
    """Events committed but not yet published (a readiness/metrics signal)."""
    result = await session.execute(
        select(func.count()).select_from(OutboxRecord).where(OutboxRecord.published_at.is_(None))
    )
    return int(result.scalar_one())


def _add_many_params(
    source: str,
    events: Sequence[Publishable],
    partitions: Sequence[int | None] | None,
    trace_contexts: Sequence[tuple[str | None, str | None]] | None,
    chunk_size: int,
) -> tuple[list[str], list[dict[str, Any]]]:
    """The CloudEvent ids of ``events`` and ``_ADD_MANY``'s parameters, one set per chunk."""
    if partitions is not None and len(partitions) != len(events):
        raise ValueError("partitions must have one entry per event")
    if trace_contexts is not None and len(trace_contexts) != len(events):
        raise ValueError("trace_contexts must have one entry per event")
    ids = [new_id("evt") for _ in events]
    pinned = partitions if partitions is not None else [None] * len(events)
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    traces = trace_contexts if trace_contexts is not None else [trace_context()] * len(events)
    # One statement per chunk: the rows from arrays, in the given order (the outbox ids
    # keep it, hence the order on Kafka per key), and the notification that wakes the relay.
    chunks: list[dict[str, Any]] = []
    for start in range(0, len(events), chunk_size):
        chunk = range(start, min(start + chunk_size, len(events)))
        chunks.append(
            {
                "event_ids": [ids[i] for i in chunk],
                "topics": [events[i].topic for i in chunk],
                "keys": [events[i].partition_key() for i in chunk],
                "partitions": [pinned[i] for i in chunk],
                "event_types": [events[i].event_type for i in chunk],
                "subjects": [events[i].subject() for i in chunk],
                "versions": [events[i].schema_version for i in chunk],
                "payloads": [payload_text(events[i], dumps) for i in chunk],
                "source": source,
                "occurred_at": utcnow(),
                "traceparents": [traces[i][0] for i in chunk],
                "tracestates": [traces[i][1] for i in chunk],
            }
        )
    return ids, chunks
