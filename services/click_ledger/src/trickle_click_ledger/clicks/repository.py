"""The click room's own statements: the one click write and the look-ups of the one-click path.

Other packages do not import this module: they write clicks through ``clicks.batcher`` and
read them through ``clicks.queries``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import asyncpg
from sqlalchemy import Boolean, DateTime, Integer, SmallInteger, String, Text, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Click
from trickle_kit.db import DriverStatement


@dataclass(frozen=True, slots=True)
class NewClick:
    """A click to insert: its id, patron, thing, partition, time and (automatic clicks) subscription."""

    id: str
    patron_id: str
    thing_id: str
    partition: int
    created_at: datetime
    subscription_id: str | None = None
    # (traceparent, tracestate) of the request or task that made the click: its event continues that
    # trace, also when a group-commit batch writes it (trickle_kit.tracing; (None, None) when off).
    trace_context: tuple[str | None, str | None] = (None, None)


class InsertedClick(NamedTuple):
    """A click as the insert below returned it (its ``RETURNING`` columns, in that order).

    A plain row rather than an ORM ``Click``: the inserted clicks are never changed in the
    transaction that wrote them, only answered and turned into events, and an ORM instance
    (its attributes instrumented) cost ~15 µs to build per click against ~0.4 µs for this.
    """

    id: str
    patron_id: str
    thing_id: str
    period: str
    partition: int
    owner_id: str | None
    weight: int
    public: bool
    subscription_id: str | None
    created_at: datetime
    revoked_at: datetime | None


class Written(NamedTuple):
    """One answer of ``write_clicks``: the click requested under ``request_id``, as inserted
    (``created``), or the live click it repeats (not created)."""

    request_id: str
    click: InsertedClick
    created: bool


# The only statement that inserts clicks, for many (a group-commit batch) or one: the
# ``write_clicks`` function (migrations 0008 and 0009) takes the calendar lock shared, inserts each row
# into the open period with the thing's owner and weight and the patron's privacy choice copied, stages
# each inserted click's ``clicks.click.registered`` event in the outbox and notifies the relay; then,
# when asked (``answer_repeats``, the batcher), for the rows it left out that repeat a live click,
# returns that click (``created`` false). Rows whose thing is missing or the patron's own, whose
# patron is suspended, or that find no open period are simply not returned (and get no event); the
# one-click path finds out why. One round trip: run outside a transaction it is a transaction of its own.
_WRITE_CLICKS = text(
    """
    SELECT id, patron_id, thing_id, period, partition, owner_id, weight, public, subscription_id, created_at,
           revoked_at,  -- InsertedClick's fields, in its order
           created, request_id
      FROM write_clicks(:ids, :patrons, :things, :partitions, :created, :subscriptions, :event_ids,
                        :traceparents, :tracestates, :topic, :event_type, :source, :schema_version, :occurred_at,
                        :answer_repeats)
    """
).bindparams(
    bindparam("ids", type_=ARRAY(String)),
    bindparam("patrons", type_=ARRAY(String)),
    bindparam("things", type_=ARRAY(String)),
    bindparam("partitions", type_=ARRAY(SmallInteger)),
    bindparam("created", type_=ARRAY(DateTime(timezone=True))),
    bindparam("subscriptions", type_=ARRAY(String)),
    bindparam("event_ids", type_=ARRAY(String)),
    bindparam("traceparents", type_=ARRAY(String)),
    bindparam("tracestates", type_=ARRAY(Text)),
    bindparam("topic", type_=String),
    bindparam("event_type", type_=String),
    bindparam("source", type_=String),
    bindparam("schema_version", type_=Integer),
    bindparam("occurred_at", type_=DateTime(timezone=True)),
    bindparam("answer_repeats", type_=Boolean),
)
_WRITE_CLICKS_ON_DRIVER = DriverStatement(_WRITE_CLICKS)


class Staging(NamedTuple):
    """What ``write_clicks`` writes in each event's outbox row besides the click: per click, in the
    clicks' order, the CloudEvent id and the trace context; for all, the event's kind and source."""

    event_ids: list[str]
    trace_contexts: list[tuple[str | None, str | None]]
    topic: str
    event_type: str
    schema_version: int
    source: str
    occurred_at: datetime


async def write_clicks(session: AsyncSession, clicks: Sequence[NewClick], staging: Staging) -> list[InsertedClick]:
    """Insert ``clicks`` into the open period and stage their events, in the session's transaction; the
    inserted ones, as inserted, in the given order (its callers find out themselves what a repeat repeats)."""
    rows = (await session.execute(_WRITE_CLICKS, _write_params(clicks, staging, answer_repeats=False))).all()
    return [InsertedClick(*row[:-2]) for row in rows]


async def write_clicks_on(
    connection: asyncpg.Connection, clicks: Sequence[NewClick], staging: Staging
) -> list[Written]:
    """``write_clicks`` on the driver's connection: in its transaction, or, outside one, in a
    transaction of its own (the click batcher: one round trip a batch). The inserted clicks in the
    given order, then the live clicks that the left-out ones repeat."""
    rows = await _WRITE_CLICKS_ON_DRIVER.fetch(connection, _write_params(clicks, staging, answer_repeats=True))
    return [Written(row[-1], InsertedClick(*row[:-2]), row[-2]) for row in rows]


def _write_params(clicks: Sequence[NewClick], staging: Staging, *, answer_repeats: bool) -> dict[str, Any]:
    if not (len(staging.event_ids) == len(staging.trace_contexts) == len(clicks)):
        raise ValueError("one event id and one trace context per click")
    return {
        "ids": [c.id for c in clicks],
        "patrons": [c.patron_id for c in clicks],
        "things": [c.thing_id for c in clicks],
        "partitions": [c.partition for c in clicks],
        "created": [c.created_at for c in clicks],
        "subscriptions": [c.subscription_id for c in clicks],
        "event_ids": staging.event_ids,
        "traceparents": [t[0] for t in staging.trace_contexts],
        "tracestates": [t[1] for t in staging.trace_contexts],
        "topic": staging.topic,
        "event_type": staging.event_type,
        "source": staging.source,
        "schema_version": staging.schema_version,
        "occurred_at": staging.occurred_at,
        "answer_repeats": answer_repeats,
    }


async def live_click(session: AsyncSession, patron_id: str, thing_id: str, period: str) -> Click | None:
    stmt = select(Click).where(
        Click.patron_id == patron_id, Click.thing_id == thing_id, Click.period == period, Click.revoked_at.is_(None)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, click_id: str, *, for_update: bool = False) -> Click | None:
    stmt = select(Click).where(Click.id == click_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()
