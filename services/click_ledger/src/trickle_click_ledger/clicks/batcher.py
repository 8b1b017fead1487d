"""The one click writer: ``write_batch``, and group commit of concurrent ``POST /v1/clicks``.

Every click is inserted by ``write_batch`` in a transaction of its caller's: the calendar
lock (shared, first statement), one ``INSERT … SELECT FROM unnest`` into the open period,
the events into the outbox. Its callers:

- ``ClickBatcher``: concurrent ``POST /v1/clicks`` share one transaction. A click on its own
  costs five round trips and a WAL flush; under load many clicks are waiting at the same
  moment, so the batcher writes all that are queued when a writer is free in one
  transaction. No click waits for a timer: a batch is whatever queued up while the previous
  one was being written, one click when the service is quiet.
- the one-click path (``clicks.service.register_click``: clicks by URL, with an
  ``Idempotency-Key``, or that a batch did not insert), a batch of one in the request's
  transaction, which then finds out why a click was not inserted;
- subscriptions' automatic clicks (``subscriptions.service``), a batch per job step.

Each click keeps its ordering against the seal (docs/periods.md): the batch transaction
takes the calendar lock before the statement that reads the open period. A click the batch
did not insert (unknown or own thing, a repeat, no open period yet) or a batch that failed is
answered ``None`` by the batcher, and the caller registers that click alone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_click_ledger.clicks.events import registered_event
from trickle_click_ledger.clicks.partitioning import partition_for
from trickle_click_ledger.clicks.repository import NewClick, insert_many_in_open_period
from trickle_click_ledger.models import Click
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.periods.lock import lock_calendar_shared
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id

log = structlog.get_logger("trickle.clicks.batcher")


def new_click(
    patron_id: str, thing_id: str, *, partitions: int, now: datetime, subscription_id: str | None = None
) -> NewClick:
    """A click to write: a new id, and the partition of the click topic its patron's events go to."""
    return NewClick(new_id("clk"), patron_id, thing_id, partition_for(patron_id, partitions), now, subscription_id)


async def write_batch(session: AsyncSession, clicks: Sequence[NewClick]) -> list[Click]:
    """Insert ``clicks`` into the open period and stage their events, in the caller's transaction.

    The clicks that were inserted, as inserted; the others (unknown or own thing, a repeat of
    a live click, no open period) are left out. Takes the calendar lock shared first (a
    transaction holding it, even exclusively for the seal, takes it again at once).
    """
    # One order for every batch: two batches waiting on each other's unique-index entries
    # then wait in the same direction and cannot deadlock.
    ordered = sorted(clicks, key=lambda c: (c.patron_id, c.thing_id))
    await lock_calendar_shared(session)
    inserted = await insert_many_in_open_period(session, ordered)
    if inserted:
        await OUTBOX.add_many(
            session, [registered_event(c) for c in inserted], partitions=[c.partition for c in inserted]
        )
    return inserted


@dataclass(slots=True)
class _Pending:
    click: NewClick
    done: asyncio.Future[Click | None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class ClickBatcher:
    """Queues clicks and writes them in batches of at most ``max_batch`` with ``writers`` concurrent transactions."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        partitions: int,
        max_batch: int = 200,
        writers: int = 4,
    ) -> None:
        if max_batch < 1 or writers < 1:
            raise ValueError("max_batch and writers must be at least 1")
        self.sessions = sessions
        self.partitions = partitions
        self.max_batch = max_batch
        self.writers = writers
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self.batches = 0
        self.written = 0

    async def click(self, patron_id: str, thing_id: str) -> Click | None:
        """The patron's click on the thing, as inserted in the open period with its event, by the
        next batch; None if the batch did not insert it (the one-click path then says why)."""
        self._start()
        pending = _Pending(new_click(patron_id, thing_id, partitions=self.partitions, now=utcnow()))
        self._queue.put_nowait(pending)
        return await asyncio.shield(pending.done)  # a client hanging up does not cancel its batch

    async def close(self) -> None:
        """Stop the writers (queued clicks are answered None)."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        while not self._queue.empty():
            _answer([self._queue.get_nowait()], {})

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # first use, or a new event loop (tests): start afresh on this one
            self._loop, self._queue, self._tasks = loop, asyncio.Queue(), []
        if not self._tasks:
            self._tasks = [loop.create_task(self._write_forever()) for _ in range(self.writers)]

    async def _write_forever(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            inserted: dict[str, Click] = {}
            try:
                inserted = await self._write(batch)
            except Exception as exc:  # the clicks are retried one by one by their callers
                log.warning("click_batch_failed", clicks=len(batch), error=repr(exc))
            finally:  # also when cancelled: nobody is left waiting
                _answer(batch, inserted)

    async def _write(self, batch: list[_Pending]) -> dict[str, Click]:
        async with self.sessions() as session, session.begin():
            inserted = await write_batch(session, [p.click for p in batch])
        self.batches += 1
        self.written += len(inserted)
        return {c.id: c for c in inserted}


def _answer(batch: list[_Pending], inserted: dict[str, Click]) -> None:
    """Each click as inserted, or None (its caller then registers it alone)."""
    for pending in batch:
        if not pending.done.done():
            pending.done.set_result(inserted.get(pending.click.id))
