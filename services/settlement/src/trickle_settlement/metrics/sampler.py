"""The worker task that sets the settlement's gauges from the database."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.envelope import utcnow
from trickle_kit.metrics import periodically
from trickle_kit.worker import Runnable
from trickle_settlement.close.progress import CloseProgress, close_progress
from trickle_settlement.metrics import repository
from trickle_settlement.metrics.figures import (
    CLOSE_DURATION,
    CLOSE_GAUGES,
    CLOSE_IN_PROGRESS,
    CLOSE_LAST_PROGRESS,
    CLOSE_PATRONS_DONE,
    CLOSE_PATRONS_TOTAL,
    TRIAL_BALANCE_DIFFERENCE,
)
from trickle_settlement.settings import Settings


class SettlementSampler:
    """Reads the figures and sets the gauges; a closed period's progress is final, so read once."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._closed: dict[str, CloseProgress] = {}

    async def sample(self) -> None:
        progress: dict[str, CloseProgress] = {}
        async with self.sessions() as session, session.begin():
            closes = await repository.closes_shown(session)
            for close in closes:
                known = self._closed.get(close.period) if close.status == "closed" else None
                progress[close.period] = known or await close_progress(session, close.period, close.status)
            differences = await repository.trial_balance_differences(session)
        self._closed = {c.period: progress[c.period] for c in closes if c.status == "closed"}
        now = utcnow()
        for gauge in CLOSE_GAUGES:  # a period no longer shown leaves every gauge
            gauge.clear()
        for close in closes:
            CLOSE_IN_PROGRESS.labels(close.period).set(1 if close.status == "closing" else 0)
            CLOSE_PATRONS_TOTAL.labels(close.period).set(progress[close.period].patrons_total)
            CLOSE_PATRONS_DONE.labels(close.period).set(progress[close.period].patrons_done)
            if close.started_at is not None:
                CLOSE_DURATION.labels(close.period).set(((close.closed_at or now) - close.started_at).total_seconds())
            if close.moved_at is not None:
                CLOSE_LAST_PROGRESS.labels(close.period).set(close.moved_at.timestamp())
        for currency, difference in differences.items():
            TRIAL_BALANCE_DIFFERENCE.labels(currency).set(difference)


def settlement_metrics(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Runnable:
    """Samples the close and the trial balance every ``metrics_sample_interval_s``."""
    sampler = SettlementSampler(sessions)

    async def run(stop: asyncio.Event) -> None:
        await periodically(stop, settings.metrics_sample_interval_s, sampler.sample, "settlement")

    return run
