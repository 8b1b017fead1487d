"""The one click writer: ``write_batch`` inserts every click there is.

One statement, ``write_clicks`` (``clicks/repository.py``, the function of migrations 0008/0009): the
calendar lock (shared, first), the insert into the open period, the inserted clicks' events into
the outbox, the relay's notification. Its callers:

- group commit (``clicks/batcher.py``): concurrent ``POST /v1/clicks`` share one statement, run
  outside a transaction, which makes it a transaction of its own: one round trip a batch;
- the one-click path (``clicks/service.register_click``: clicks by URL, with an
  ``Idempotency-Key``, or that a batch did not insert), a batch of one in its caller's
  transaction, which then finds out why a click was not inserted, and retries as a batch of one;
- subscriptions' automatic clicks (``subscriptions/service.py``), a batch per job step.

Each click keeps its ordering against the seal (docs/periods.md): the function takes the
calendar lock before the statement that reads the open period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.clicks.partitioning import partition_for
from trickle_click_ledger.clicks.repository import (
    InsertedClick,
    NewClick,
    Staging,
    Written,
    write_clicks,
    write_clicks_on,
)
from trickle_click_ledger.outbox import OUTBOX
from trickle_events.clicks import ClickRegistered
from trickle_kit import tracing
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.tracing import trace_context


def new_click(
    patron_id: str, thing_id: str, *, partitions: int, now: datetime, subscription_id: str | None = None
) -> NewClick:
    """A click to write: a new id, and the partition of the click topic its patron's events go to."""
    return NewClick(
        new_id("clk"), patron_id, thing_id, partition_for(patron_id, partitions), now, subscription_id, trace_context()
    )


async def write_batch(session: AsyncSession, clicks: Sequence[NewClick]) -> list[InsertedClick]:
    """Insert ``clicks`` into the open period and stage their events, in the caller's transaction.

    The clicks that were inserted, as inserted; the others (unknown or own thing, a repeat of
    a live click, no open period) are left out. Takes the calendar lock shared first (a
    transaction holding it, even exclusively for the seal, takes it again at once).
    """
    ordered = _in_lock_order(clicks)
    staging = _staging(ordered)
    inserted = await write_clicks(session, ordered, staging)
    _traced(inserted, ordered, staging)
    return inserted


async def write_batch_on(connection: asyncpg.Connection, clicks: Sequence[NewClick]) -> list[Written]:
    """``write_batch`` on the driver's connection (``clicks/batcher.py``: SQLAlchemy's execution cost more
    than the statement); outside a transaction, the statement is one. Also answers the clicks that
    repeat a live click with that click (``Written.created`` false), so that a burst of repeats (double
    clicks, retries) is answered by the batch instead of one by one."""
    ordered = _in_lock_order(clicks)
    staging = _staging(ordered)
    written = await write_clicks_on(connection, ordered, staging)
    _traced([w.click for w in written if w.created], ordered, staging)
    return written


def _staging(clicks: Sequence[NewClick]) -> Staging:
    return Staging(
        event_ids=[new_id("evt") for _ in clicks],
        trace_contexts=[c.trace_context for c in clicks],
        topic=ClickRegistered.topic,
        event_type=ClickRegistered.event_type,
        schema_version=ClickRegistered.schema_version,
        source=OUTBOX.source,
        occurred_at=utcnow(),
    )


def _traced(inserted: Sequence[InsertedClick], clicks: Sequence[NewClick], staging: Staging) -> None:
    """The staged events on the current span, as the outbox marks them (``trickle_kit.tracing.staged``)."""
    if inserted:
        ids = {c.id: event_id for c, event_id in zip(clicks, staging.event_ids, strict=True)}
        tracing.staged_as(lambda: [ClickRegistered.event_type] * len(inserted), [ids[c.id] for c in inserted])


def _in_lock_order(clicks: Sequence[NewClick]) -> list[NewClick]:
    # One order for every batch: two batches waiting on each other's unique-index entries
    # then wait in the same direction and cannot deadlock.
    return sorted(clicks, key=lambda c: (c.patron_id, c.thing_id))
