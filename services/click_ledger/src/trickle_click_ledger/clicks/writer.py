"""The one click writer: ``write_batch`` inserts every click there is.

In a transaction of its caller's: the calendar lock (shared, first statement), one
``INSERT … SELECT FROM unnest`` into the open period (``clicks/repository.py``, the only click
insert), the events into the outbox. Its callers:

- group commit (``clicks/batcher.py``): concurrent ``POST /v1/clicks`` share one transaction;
- the one-click path (``clicks/service.register_click``: clicks by URL, with an
  ``Idempotency-Key``, or that a batch did not insert), a batch of one in its own
  transaction, which then finds out why a click was not inserted, and retries as a batch of one;
- subscriptions' automatic clicks (``subscriptions/service.py``), a batch per job step.

Each click keeps its ordering against the seal (docs/periods.md): the transaction takes the
calendar lock before the statement that reads the open period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.clicks.events import registered_event
from trickle_click_ledger.clicks.partitioning import partition_for
from trickle_click_ledger.clicks.repository import (
    InsertedClick,
    NewClick,
    insert_many_in_open_period,
    insert_many_in_open_period_on,
)
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.periods.lock import lock_calendar_shared, lock_calendar_shared_on
from trickle_events.clicks import ClickRegistered
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
    await lock_calendar_shared(session)
    inserted = await insert_many_in_open_period(session, ordered)
    if inserted:
        events, partitions, traces = _events_of(clicks, inserted)
        await OUTBOX.add_many(session, events, partitions=partitions, trace_contexts=traces)
    return inserted


async def write_batch_on(connection: asyncpg.Connection, clicks: Sequence[NewClick]) -> list[InsertedClick]:
    """``write_batch`` on the driver's connection, in its transaction: the same statements in the same
    order, without a session (``clicks/batcher.py``: SQLAlchemy's execution cost more than the statements)."""
    ordered = _in_lock_order(clicks)
    await lock_calendar_shared_on(connection)
    inserted = await insert_many_in_open_period_on(connection, ordered)
    if inserted:
        events, partitions, traces = _events_of(clicks, inserted)
        await OUTBOX.add_many_on(connection, events, partitions=partitions, trace_contexts=traces)
    return inserted


def _in_lock_order(clicks: Sequence[NewClick]) -> list[NewClick]:
    # One order for every batch: two batches waiting on each other's unique-index entries
    # then wait in the same direction and cannot deadlock.
    return sorted(clicks, key=lambda c: (c.patron_id, c.thing_id))


def _events_of(
    clicks: Sequence[NewClick], inserted: Sequence[InsertedClick]
) -> tuple[list[ClickRegistered], list[int | None], list[tuple[str | None, str | None]]]:
    """The inserted clicks' events, their partitions and the traces they continue (each its own request's)."""
    traces = {c.id: c.trace_context for c in clicks}
    return (
        [registered_event(c) for c in inserted],
        [c.partition for c in inserted],
        [traces[c.id] for c in inserted],
    )
