"""The webhook's worker tasks (router consumer, delivery worker, outbox relay) in the test's process."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from sqlalchemy import text

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import EVENTUAL_S, KAFKA


class RunningWorker:
    """The worker's router, delivery loop and relay on ``settings``; ``start()`` first clears other tests' endpoints."""

    def __init__(self, settings: Any) -> None:
        from trickle_webhook.consumers import router_consumer
        from trickle_webhook.delivery.dispatcher import DeliveryWorker

        self.engine = make_engine(settings.database_url, application_name="webhook-test-worker", pool_size=5)
        self.sessions = make_sessionmaker(self.engine)
        self.router = router_consumer(settings, self.sessions)
        self.delivery = DeliveryWorker(settings, self.engine, self.sessions)
        self.relay = OutboxRelay(
            self.engine, bootstrap=KAFKA, topic_prefix=settings.topic_prefix, name="webhook-test-relay"
        )
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self, deliver: bool = True) -> RunningWorker:
        """Start the router and relay, and the delivery loop unless ``deliver`` is false (then
        ``start_delivery()`` later: messages routed meanwhile wait, all due at once)."""
        # Each test starts from no endpoints: another test's dead receivers must not share the worker.
        async with self.sessions() as session, session.begin():
            await session.execute(text("DELETE FROM webhook_endpoints"))
        self.tasks = [asyncio.create_task(r(self.stop)) for r in (self.router.run, self.relay.run)]
        if deliver:
            await self.start_delivery()
        return self

    async def start_delivery(self) -> None:
        self.tasks.append(asyncio.create_task(self.delivery.run(self.stop)))
        await asyncio.wait_for(self.delivery.started.wait(), EVENTUAL_S)

    async def close(self) -> None:
        self.stop.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), EVENTUAL_S)
        await self.engine.dispose()
