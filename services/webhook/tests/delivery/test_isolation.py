"""A slow or dead endpoint never delays deliveries to healthy ones."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import httpx
from webhook_receiver import Answer, Receiver

from trickle_kit.ids import new_id
from trickle_kit.testing import wait_until
from trickle_kit.testing_auth import TokenFactory

from .helpers import SCOPES, account_updated, create_endpoint


async def test_healthy_deliveries_stay_fast_while_other_endpoints_hang(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, settings: Any
) -> None:
    from conftest import RunningWorker

    # A small pool: without per-endpoint limits the hanging endpoints' 40 messages would fill it.
    isolated = settings.model_copy(
        update={"attempt_timeout_s": 3.0, "delivery_concurrency": 16, "endpoint_concurrency": 4}
    )
    running = await RunningWorker(isolated).start()
    try:
        dead, slow, healthy = new_id("acct"), new_id("acct"), new_id("acct")
        receiver.script(f"dead-{dead}", lambda d, n: Answer(delay_s=3600))
        receiver.script(f"slow-{slow}", lambda d, n: Answer(delay_s=10))
        await create_endpoint(client, tokens, dead, receiver.url(f"dead-{dead}"))
        await create_endpoint(client, tokens, slow, receiver.url(f"slow-{slow}"))
        good = await create_endpoint(client, tokens, healthy, receiver.url(f"ok-{healthy}"))
        for i in range(20):
            await publisher.publish(account_updated(dead, f"d{i}"))
            await publisher.publish(account_updated(slow, f"s{i}"))
        await wait_until(lambda: _count(receiver, f"dead-{dead}", 4), timeout_s=20)
        await wait_until(lambda: _count(receiver, f"slow-{slow}", 4), timeout_s=20)

        # While both hang, the healthy endpoint's events go through one after the other.
        for i in range(10):
            await publisher.publish(account_updated(healthy, f"h{i}"))
            await asyncio.sleep(0.25)
        await wait_until(lambda: _count(receiver, f"ok-{healthy}", 10), timeout_s=10)
        h = tokens.headers(healthy, SCOPES)
        messages = (await client.get(f"/v1/webhook-endpoints/{good['id']}/messages", headers=h)).json()["data"]
        enqueued = {m["id"]: datetime.fromisoformat(m["created_at"]).timestamp() for m in messages}
        first_arrival: dict[str, float] = {}
        for d in receiver.deliveries(f"ok-{healthy}"):
            first_arrival.setdefault(d.headers["webhook-id"], d.received_at)
        latencies = [first_arrival[m] - enqueued[m] for m in enqueued]
        assert len(latencies) == 10
        assert max(latencies) < 2.0, latencies
        # The hanging endpoints never held more than their share of the pool.
        assert len(receiver.deliveries(f"dead-{dead}")) <= 4
        assert len(receiver.deliveries(f"slow-{slow}")) <= 8
    finally:
        await running.close()


async def _count(receiver: Receiver, name: str, at_least: int) -> bool:
    return len(receiver.deliveries(name)) >= at_least
