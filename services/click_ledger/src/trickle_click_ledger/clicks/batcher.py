"""Group commit of ``POST /v1/clicks``: concurrent clicks share one transaction.

A click on its own costs a statement, a transaction and a WAL flush. Under load many clicks are
waiting at the same moment, so the batcher writes all that are queued when a writer is free in
one statement, its own transaction (``clicks/writer.write_batch_on``), on the connection the
writer keeps. A batch is whatever queued up while the previous one was being written, and a
writer starts batches at most every ``interval_s`` (``click_batch_interval_s``, 6 ms): a click
that comes sooner waits out the rest of it with the clicks that come meanwhile. A click after a
quiet spell is written at once, alone.

A click that repeats a live click is answered by its batch with that click (as the one-click
path would answer it), also when another batch committed that click meanwhile. A click the
batch did not write or answer (unknown or own thing, suspended patron, no open period yet, a
repeat of a click revoked while the batch ran), or whose batch failed, takes the one-click
path (``clicks/service.register_click``, a batch of one), which answers it as it would have
been answered alone: the existing click, or the refusal.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

import asyncpg
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from trickle_click_ledger.clicks.repository import InsertedClick, NewClick, Written
from trickle_click_ledger.clicks.service import register_click
from trickle_click_ledger.clicks.writer import new_click, write_batch_on
from trickle_click_ledger.models import Click
from trickle_kit.db import PING_AFTER_IDLE_S
from trickle_kit.envelope import utcnow

log = structlog.get_logger("trickle.clicks.batcher")
WRITER_RESTART_S = 0.1  # a writer that ended is replaced after this pause
PING_TIMEOUT_S = 5.0  # a held connection that does not answer a ping in this long is replaced


@dataclass(slots=True)
class _Pending:
    click: NewClick
    done: asyncio.Future[tuple[Written | None, bool]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class ClickBatcher:
    """Queues clicks and writes them in batches of at most ``max_batch`` with ``writers`` concurrent transactions
    (on connections of ``engine``'s pool; the one-click path uses ``sessions``)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        engine: AsyncEngine,
        partitions: int,
        max_batch: int = 200,
        writers: int = 1,
        interval_s: float = 0.0,
    ) -> None:
        if max_batch < 1 or writers < 1:
            raise ValueError("max_batch and writers must be at least 1")
        self.sessions = sessions
        self.engine = engine
        self.partitions = partitions
        self.max_batch = max_batch
        self.writers = writers
        # A writer starts a batch at most this often: clicks arriving sooner wait for the rest of
        # the interval and share the batch (fewer commits and WAL flushes under load). A click
        # after a quiet spell is written at once. It groups clicks with one writer (the default):
        # with several, an idle writer takes what a waiting one would have grouped.
        self.interval_s = interval_s
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._restarts: set[asyncio.TimerHandle] = set()  # writers' replacements not yet started
        self.batches = 0
        self.written = 0

    async def click(self, patron_id: str, thing_id: str) -> tuple[Click | InsertedClick, bool]:
        """The patron's click on the thing in the open period, and whether it is new (False: the
        live click it repeats). Refusals raise, as on the one-click path."""
        click = new_click(patron_id, thing_id, partitions=self.partitions, now=utcnow())
        written, unknown = await self._batched(click)
        if written is not None:
            return written.click, written.created
        async with self.sessions() as session, session.begin():
            return await register_click(
                session,
                patron_id=patron_id,
                thing_id=thing_id,
                url=None,
                partitions=self.partitions,
                # its batch failed after sending it: written, maybe, under this id (service.register_click)
                written_as=click.id if unknown else None,
            )

    async def _batched(self, click: NewClick) -> tuple[Written | None, bool]:
        """The click as the next batch wrote or answered it, or None if that batch did neither (or the
        batcher is closed); and whether that batch's outcome is unknown (it failed once sent)."""
        if self._closed:
            return None, False
        self._start()
        pending = _Pending(click)
        self._queue.put_nowait(pending)
        return await asyncio.shield(pending.done)  # a client hanging up does not cancel its batch

    async def close(self) -> None:
        """Stop the writers; queued clicks, and any that come later, take the one-click path."""
        self._closed = True
        for restart in self._restarts:
            restart.cancel()
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        try:
            if tasks:  # never raises a writer's own error (one may have died before close: it is logged)
                await asyncio.wait(tasks)
        finally:
            while not self._queue.empty():
                _answer([self._queue.get_nowait()], {})

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # first use, or a new event loop (tests): start afresh on this one
            self._loop, self._queue, self._tasks = loop, asyncio.Queue(), []
        if not self._tasks:
            self._tasks = [self._spawn(loop) for _ in range(self.writers)]

    def _spawn(self, loop: asyncio.AbstractEventLoop) -> asyncio.Task[None]:
        task = loop.create_task(self._write_forever())
        task.add_done_callback(self._writer_ended)
        return task

    def _writer_ended(self, task: asyncio.Task[None]) -> None:
        """A writer ends only when ``close`` cancels it, or when something cancels or kills it by
        mistake: then the clicks queued behind it (and every later one) would wait forever, so
        another writer takes its place (after a pause, so that a writer dying at once each time
        cannot spin; ``close`` cancels a replacement not yet started)."""
        if task.cancelled() and self._closed:
            return
        loop = self._loop
        replace = not self._closed and task in self._tasks and loop is not None and not loop.is_closed()
        if replace and loop is not None:

            def restart() -> None:
                self._restarts.discard(handle)
                if task in self._tasks and self._loop is loop:  # not after a change of event loop
                    self._tasks[self._tasks.index(task)] = self._spawn(loop)

            handle = loop.call_later(WRITER_RESTART_S, restart)  # before the log line, whatever that does
            self._restarts.add(handle)
        error = "cancelled" if task.cancelled() else repr(task.exception())
        log.error("click_writer_ended", error=error, restart_in_s=WRITER_RESTART_S if replace else None)

    async def _write_forever(self) -> None:
        # The writer keeps one connection of the pool: a checkout and a return per batch cost more
        # than the batch's one statement. A batch that fails gives it up (it may be the connection
        # that failed), and so does a ping that fails after the writer idled (as the pool pings a
        # connection idle that long before its checkout): the next batch takes another.
        held: AsyncConnection | None = None
        used = started = 0.0
        try:
            while True:
                batch = [await self._queue.get()]
                pause = self.interval_s - (time.monotonic() - started)
                if pause > 0 and self._queue.qsize() + 1 < self.max_batch:
                    try:
                        await self._wait_out(pause)
                    except BaseException:  # cancelled (closed) while it waited: its caller writes it alone
                        _answer(batch, {})
                        raise
                started = time.monotonic()
                while len(batch) < self.max_batch and not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                answers: dict[str, Written] = {}
                failed: AsyncConnection | None = None
                sent = False  # from here on the batch may commit whatever happens to this task
                try:
                    if held is not None and time.monotonic() - used > PING_AFTER_IDLE_S and not await _alive(held):
                        await _discard(held)
                        held = None
                    if held is None:
                        held = await self.engine.connect()
                    sent = True
                    answers = await self._write(held, batch)
                    sent = False
                    used = time.monotonic()
                except Exception as exc:  # the clicks are retried one by one by their callers
                    log.warning("click_batch_failed", clicks=len(batch), error=repr(exc))
                    held, failed = None, held
                finally:  # also when cancelled: nobody is left waiting
                    _answer(batch, answers, unknown=sent)
                if failed is not None:
                    await asyncio.shield(_discard(failed))
        finally:
            if held is not None:
                await _discard(held)

    async def _wait_out(self, pause: float) -> None:
        """The rest of the writer's interval (tests replace it to hold a writer exactly there)."""
        await asyncio.sleep(pause)

    async def _write(self, connection: AsyncConnection, batch: list[_Pending]) -> dict[str, Written]:
        # On the driver's connection, outside a transaction: the batch's one statement is a
        # transaction of its own (one round trip; a session and its transaction cost more CPU).
        driver: asyncpg.Connection = (await connection.get_raw_connection()).driver_connection
        written = await write_batch_on(driver, [p.click for p in batch])
        self.batches += 1
        self.written += sum(w.created for w in written)
        answers: dict[str, Written] = {}
        for w in written:  # one answer a request; should two ever come, the insert's is the truth
            if w.created or w.request_id not in answers:
                answers[w.request_id] = w
        return answers


async def _alive(connection: AsyncConnection) -> bool:
    """Whether a held connection still answers (after an idle spell: the server may have closed it)."""
    try:
        driver: asyncpg.Connection = (await connection.get_raw_connection()).driver_connection
        await driver.execute(";", timeout=PING_TIMEOUT_S)
    except Exception:
        return False
    return True


async def _discard(connection: AsyncConnection) -> None:
    """Close a writer's connection for good (invalidated: its state after a failure or a cancellation
    mid-statement is unknown, so the pool gets a fresh one instead)."""
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()


def _answer(batch: list[_Pending], answers: dict[str, Written], *, unknown: bool = False) -> None:
    """Each click as written or answered, or None (its caller then takes the one-click path), with
    whether its batch's outcome is ``unknown``."""
    for pending in batch:
        if not pending.done.done():
            pending.done.set_result((answers.get(pending.click.id), unknown))
