"""The worker's calendar task: seal the open period when its month is over, and run the
subscriptions' opening job."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_click_ledger.periods.calendar import ends_at
from trickle_click_ledger.periods.service import ensure_open_period
from trickle_click_ledger.seal.service import SealOutcome, seal_open_period
from trickle_click_ledger.subscriptions.service import run_opening_job
from trickle_kit.envelope import utcnow

log = structlog.get_logger("trickle.click_ledger.periods")


class PeriodScheduler:
    """Worker task: seals the open period when its UTC month has ended, and runs the
    subscriptions' opening job for the open period. Several workers may run it: the seal
    and the job are safe to run concurrently."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        partitions: int,
        batch_size: int,
        interval_s: float,
    ) -> None:
        self.sessions = sessions
        self.partitions = partitions
        self.batch_size = batch_size
        self.interval_s = interval_s
        self.ticks = 0

    async def tick(self, now: datetime | None = None) -> SealOutcome | None:
        """Seal the open period if its month is over (at ``now``, default the clock), then run the opening job."""
        now = now or utcnow()
        outcome = None
        async with self.sessions() as session, session.begin():
            due = now >= ends_at((await ensure_open_period(session, now)).id)
        if due:  # checked again under the lock: another worker may have sealed it meanwhile
            async with self.sessions() as session, session.begin():
                outcome = await seal_open_period(session, partitions=self.partitions, now=now, only_if_due=True)
        await run_opening_job(self.sessions, partitions=self.partitions, batch_size=self.batch_size)
        self.ticks += 1
        return outcome

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database away: try again next tick
                log.warning("period_scheduler_error", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_s)
