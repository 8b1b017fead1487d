"""The webhook service's figures: delivery attempts counted by outcome, failing endpoints and how long they fail."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client import REGISTRY

from trickle_kit.ids import new_id
from trickle_kit.testing import wait_until
from trickle_kit.testing_auth import TokenFactory
from trickle_webhook.metrics.sampler import sample

from ..support.delivery import SCOPES, account_updated, create_endpoint
from ..support.receiver import Answer, Receiver
from ..support.worker import RunningWorker


def deliveries(outcome: str) -> float:
    return REGISTRY.get_sample_value("trickle_webhook_deliveries_total", {"outcome": outcome}) or 0.0


def gauge(name: str) -> float | None:
    return REGISTRY.get_sample_value(name)


async def test_each_recorded_attempt_is_counted_by_its_outcome(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: RunningWorker
) -> None:
    account = new_id("acct")
    name = f"flaky-{account}"
    receiver.script(name, lambda d, n: Answer(status=500) if n < 2 else Answer())
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    failed, succeeded = deliveries("failed"), deliveries("succeeded")
    await publisher.publish(account_updated(account))
    h = tokens.headers(account, SCOPES)

    async def delivered() -> bool:
        r = await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages?status=succeeded", headers=h)
        return len(r.json()["data"]) == 1

    await wait_until(delivered)
    assert (deliveries("failed") - failed, deliveries("succeeded") - succeeded) == (2, 1)


async def test_an_endpoint_failing_shows_in_the_gauges_with_its_disable_window(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    receiver: Receiver,
    publisher: Any,
    worker: RunningWorker,
    settings: Any,
) -> None:
    await sample(settings, worker.sessions)  # the worker cleared every endpoint: none failing
    assert gauge("trickle_webhook_endpoints_failing") == 0
    assert gauge("trickle_webhook_endpoint_longest_failing_seconds") == 0
    assert gauge("trickle_webhook_endpoint_disable_after_seconds") == settings.disable_after_failing_s
    account = new_id("acct")
    name = f"down-{account}"
    receiver.script(name, lambda d, n: Answer(status=503))
    await create_endpoint(client, tokens, account, receiver.url(name))
    await publisher.publish(account_updated(account))

    async def failing() -> bool:
        await sample(settings, worker.sessions)
        longest = gauge("trickle_webhook_endpoint_longest_failing_seconds") or 0.0
        return gauge("trickle_webhook_endpoints_failing") == 1 and longest > 0

    await wait_until(failing)
