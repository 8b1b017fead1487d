"""The worker task that sets the webhook service's gauges from the database."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.metrics import periodically
from trickle_kit.worker import Runnable
from trickle_webhook.metrics import repository
from trickle_webhook.metrics.figures import ENDPOINT_DISABLE_AFTER, ENDPOINT_LONGEST_FAILING, ENDPOINTS_FAILING
from trickle_webhook.settings import Settings


async def sample(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        failing, longest = await repository.failing_endpoints(session)
    ENDPOINTS_FAILING.set(failing)
    ENDPOINT_LONGEST_FAILING.set(longest)
    ENDPOINT_DISABLE_AFTER.set(settings.disable_after_failing_s)


def webhook_metrics(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Runnable:
    """Samples the endpoints' health every ``metrics_sample_interval_s``."""

    async def run(stop: asyncio.Event) -> None:
        await periodically(stop, settings.metrics_sample_interval_s, lambda: sample(settings, sessions), "webhook")

    return run
