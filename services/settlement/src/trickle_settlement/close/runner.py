"""The worker task that runs started closes to the end (and resumes them after a crash or restart)."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.worker import Runnable
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.repository import periods_closing
from trickle_settlement.close.service import run_close
from trickle_settlement.settings import Settings

log = structlog.get_logger("trickle.settlement.close")


def close_runner(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Runnable:
    """Polls for ``closing`` periods and takes part in each (workers share a close's shards)."""
    config = CloseConfig.from_settings(settings)

    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                async with sessions() as session:
                    periods = await periods_closing(session)
            except Exception:
                log.exception("close_poll_failed")
                periods = []
            for period in periods:
                if stop.is_set():
                    break
                try:
                    await run_close(sessions, period, config)
                except Exception:
                    # The close is resumable: log, try again from its cursor next time; a period
                    # that keeps failing does not hold up the periods after it.
                    log.exception("close_run_failed", period=period)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), settings.close_poll_interval_s)

    return run
