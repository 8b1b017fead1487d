"""At shutdown the outcome writer records everything queued before it stops (nothing taken and dropped)."""

from __future__ import annotations

import asyncio
from typing import Any

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_webhook.delivery.dispatcher import DeliveryWorker, Outcome

from ..support.outcomes import outcome


async def test_the_writer_records_every_queued_outcome_then_stops(settings: Any) -> None:
    engine = make_engine(settings.database_url, application_name="webhook-writer-test")
    worker = DeliveryWorker(settings, engine, make_sessionmaker(engine))
    recorded: list[list[Outcome]] = []

    async def record(batch: list[Outcome]) -> None:
        recorded.append(batch)

    worker.record = record  # type: ignore[method-assign]
    queued = [outcome(f"we_{i % 3}", i, i % 2 == 0) for i in range(2500)]
    for item in queued:
        worker.outcomes.put_nowait(item)
    worker.outcomes.put_nowait(None)  # what run() queues last when it stops
    try:
        await asyncio.wait_for(worker._write_outcomes(), 10)
    finally:
        await engine.dispose()
    assert [o for batch in recorded for o in batch] == queued
    assert max(len(batch) for batch in recorded) <= 1000
