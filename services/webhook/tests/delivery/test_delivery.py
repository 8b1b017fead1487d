"""Deliveries to real HTTP receivers on loop-back: routing, signatures, rotation, retries, disabling."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from trickle_events.webhook import EndpointDisabled
from trickle_kit.ids import new_id
from trickle_kit.testing import read_topic, wait_until
from trickle_kit.testing_auth import TokenFactory

from ..support.delivery import SCOPES, account_updated, click, create_endpoint
from ..support.receiver import Answer, Delivery, Receiver
from ..support.worker import RunningWorker


def verified(secret: str, d: Delivery) -> Any:
    return Webhook(secret).verify(d.body, d.headers)


async def test_events_reach_the_endpoints_that_want_them_signed_per_standard_webhooks(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any
) -> None:
    patron, creator, stranger = new_id("acct"), new_id("acct"), new_id("acct")
    all_types = await create_endpoint(client, tokens, patron, receiver.url(f"all-{patron}"))
    clicks_only = await create_endpoint(
        client, tokens, creator, receiver.url(f"clicks-{creator}"), event_types=["clicks.click.registered"]
    )
    await create_endpoint(client, tokens, stranger, receiver.url(f"stranger-{stranger}"))
    operator = await create_endpoint(client, tokens, None, receiver.url(f"op-{patron}"))

    await publisher.publish(account_updated(creator))  # not a type the creator's endpoint wants
    event_id = await publisher.publish(click(patron, creator, public=False))

    await wait_until(lambda: _has(receiver, f"all-{patron}", 1))
    await wait_until(lambda: _has(receiver, f"clicks-{creator}", 1))
    await wait_until(lambda: _has(receiver, f"op-{patron}", 2))

    patron_copy = receiver.deliveries(f"all-{patron}")[0]
    payload = verified(all_types["secret"], patron_copy)
    assert payload["type"] == "clicks.click.registered"
    assert payload["data"]["patron_id"] == patron
    assert set(payload) == {"type", "timestamp", "data"}
    assert patron_copy.headers["webhook-id"].startswith("msg_")

    creator_copy = receiver.deliveries(f"clicks-{creator}")
    assert len(creator_copy) == 1  # the account update was filtered out
    creator_payload = verified(clicks_only["secret"], creator_copy[0])
    # A private click: the creator learns that their thing was clicked, not by whom.
    assert creator_payload["data"]["patron_id"] is None
    assert creator_payload["data"]["owner_id"] == creator

    # The operator's endpoint sees every account's events, whole.
    op_types = sorted(verified(operator["secret"], d)["type"] for d in receiver.deliveries(f"op-{patron}"))
    assert op_types == ["clicks.click.registered", "wallet.account.updated"]
    assert receiver.deliveries(f"stranger-{stranger}") == []
    # Another endpoint's secret does not verify the delivery.
    with pytest.raises(WebhookVerificationError):
        verified(clicks_only["secret"], patron_copy)

    # The log shows the message and its successful attempt.
    h = tokens.headers(patron, SCOPES)
    messages = (await client.get(f"/v1/webhook-endpoints/{all_types['id']}/messages", headers=h)).json()["data"]
    assert [m["event_id"] for m in messages] == [event_id]
    await wait_until(lambda: _message_status(client, messages[0]["id"], h, "succeeded"))
    attempts = (await client.get(f"/v1/webhook-messages/{messages[0]['id']}/attempts", headers=h)).json()["data"]
    assert [(a["attempt"], a["outcome"], a["status_code"], a["response_excerpt"]) for a in attempts] == [
        (1, "succeeded", 200, "ok")
    ]


async def test_during_a_rotation_each_delivery_verifies_with_the_old_and_with_the_new_secret(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any
) -> None:
    account = new_id("acct")
    name = f"rot-{account}"
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    h = tokens.headers(account, SCOPES)
    rotated = (await client.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", headers=h)).json()
    await publisher.publish(account_updated(account))
    await wait_until(lambda: _has(receiver, name, 1))
    delivery = receiver.deliveries(name)[0]
    assert len(delivery.headers["webhook-signature"].split(" ")) == 2
    assert verified(endpoint["secret"], delivery)["data"]["account_id"] == account
    assert verified(rotated["secret"], delivery)["data"]["account_id"] == account


async def test_after_the_grace_window_only_the_new_secret_signs(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any, settings: Any
) -> None:
    from trickle_webhook.app import build_app

    no_grace = build_app(settings.model_copy(update={"secret_grace_s": 0}))
    no_grace.state.verifier = tokens.verifier()
    account = new_id("acct")
    name = f"nograce-{account}"
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    h = tokens.headers(account, SCOPES)
    transport = httpx.ASGITransport(app=no_grace)
    async with (
        no_grace.router.lifespan_context(no_grace),
        httpx.AsyncClient(transport=transport, base_url="http://w.test") as other,
    ):
        rotated = (await other.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", headers=h)).json()
    await publisher.publish(account_updated(account))
    await wait_until(lambda: _has(receiver, name, 1))
    delivery = receiver.deliveries(name)[0]
    assert delivery.headers["webhook-signature"].count("v1,") == 1
    assert verified(rotated["secret"], delivery)
    with pytest.raises(WebhookVerificationError):
        verified(endpoint["secret"], delivery)


async def test_failed_attempts_are_retried_on_the_schedule_until_one_succeeds(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any, settings: Any
) -> None:
    account = new_id("acct")
    name = f"flaky-{account}"
    receiver.script(name, lambda d, n: Answer(status=500, body=b"x" * 10_000) if n < 2 else Answer())
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    await publisher.publish(account_updated(account))
    await wait_until(lambda: _has(receiver, name, 3))
    times = [d.received_at for d in receiver.deliveries(name)]
    low = 0.3 * (1 - settings.retry_jitter)
    assert all(b - a >= low - 0.02 for a, b in itertools.pairwise(times)), times
    assert len({d.headers["webhook-id"] for d in receiver.deliveries(name)}) == 1  # same message every time

    h = tokens.headers(account, SCOPES)
    message = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages", headers=h)).json()["data"][0]
    await wait_until(lambda: _message_status(client, message["id"], h, "succeeded"))
    attempts = (await client.get(f"/v1/webhook-messages/{message['id']}/attempts", headers=h)).json()["data"]
    assert [(a["outcome"], a["status_code"]) for a in attempts] == [
        ("failed", 500),
        ("failed", 500),
        ("succeeded", 200),
    ]
    assert len(attempts[0]["response_excerpt"]) == 4096  # at most 4 KiB of the answer is kept
    ep = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=h)).json()
    assert ep["failing_since"] is None and ep["enabled"] is True


async def test_a_message_fails_when_the_schedule_is_spent(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any, settings: Any
) -> None:
    account = new_id("acct")
    name = f"down-{account}"
    receiver.script(name, lambda d, n: Answer(status=502))
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    await publisher.publish(account_updated(account))
    h = tokens.headers(account, SCOPES)

    async def failed() -> bool:
        r = await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages?status=failed", headers=h)
        return len(r.json()["data"]) == 1

    await wait_until(failed)
    assert len(receiver.deliveries(name)) == len(settings.retry_schedule_s)
    ep = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=h)).json()
    assert ep["failing_since"] is not None and ep["enabled"] is True  # the 5-day window is far away


async def test_retry_after_on_429_and_503_is_honoured(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any
) -> None:
    account = new_id("acct")
    name = f"busy-{account}"

    def busy(d: Delivery, n: int) -> Answer:
        if n == 0:
            return Answer(status=429, headers={"Retry-After": "2"})
        if n == 1:
            return Answer(status=503, headers={"Retry-After": "1"})
        return Answer()

    receiver.script(name, busy)
    await create_endpoint(client, tokens, account, receiver.url(name))
    await publisher.publish(account_updated(account))
    await wait_until(lambda: _has(receiver, name, 3))
    t = [d.received_at for d in receiver.deliveries(name)]
    # The schedule alone would retry after ~0.3 s.
    assert t[1] - t[0] >= 2.0 - 0.05, t
    assert t[2] - t[1] >= 1.0 - 0.05, t


async def test_410_gone_disables_the_endpoint_and_announces_it(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    receiver: Receiver,
    publisher: Any,
    worker: Any,
    topic_prefix: str,
) -> None:
    account = new_id("acct")
    name = f"gone-{account}"
    receiver.script(name, lambda d, n: Answer(status=410))
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    await publisher.publish(account_updated(account))
    events = await read_topic(
        topic_prefix + "webhook",
        until=lambda evs: any(e.data.get("endpoint_id") == endpoint["id"] for e in evs),
    )
    announced = [e for e in events if e.data.get("endpoint_id") == endpoint["id"]]
    assert announced[0].type == EndpointDisabled.event_type
    assert announced[0].data["reason"] == "gone" and announced[0].data["account_id"] == account
    assert len(receiver.deliveries(name)) == 1  # no retry after 410
    h = tokens.headers(account, SCOPES)
    ep = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=h)).json()
    assert ep["enabled"] is False and ep["disabled_reason"] == "gone"
    # A disabled endpoint gets no new messages: the account's other endpoint, created after the
    # disabling, receives the later event, so that event has been routed before the count below.
    await create_endpoint(client, tokens, account, receiver.url(f"sibling-{account}"))
    await publisher.publish(account_updated(account, "later"))
    await wait_until(lambda: _has(receiver, f"sibling-{account}", 1))
    listed = await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages", headers=h)
    assert len(listed.json()["data"]) == 1


async def test_an_endpoint_failing_for_the_whole_window_is_disabled_and_announced(
    client: httpx.AsyncClient,
    tokens: TokenFactory,
    receiver: Receiver,
    publisher: Any,
    settings: Any,
    topic_prefix: str,
) -> None:
    # A window of 1.5 s stands for 5 days; a long schedule keeps the endpoint being tried.
    compressed = settings.model_copy(update={"disable_after_failing_s": 1.5, "retry_schedule_s": [0] + [0.25] * 30})
    running = await RunningWorker(compressed).start()
    try:
        account = new_id("acct")
        name = f"failing-{account}"
        receiver.script(name, lambda d, n: Answer(status=500))
        endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
        await publisher.publish(account_updated(account))
        events = await read_topic(
            topic_prefix + "webhook",
            until=lambda evs: any(e.data.get("endpoint_id") == endpoint["id"] for e in evs),
        )
    finally:
        await running.close()
    announced = [e for e in events if e.data.get("endpoint_id") == endpoint["id"]]
    assert [e.data["reason"] for e in announced] == ["failing"]
    # The window disabled it while its message still had attempts left (not the schedule running out).
    assert len(receiver.deliveries(name)) < len(compressed.retry_schedule_s)
    ep = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=tokens.headers(account, SCOPES))).json()
    assert ep["enabled"] is False and ep["disabled_reason"] == "failing"
    # Not before the window was over: compared on the worker's own clock (the receiver's clock
    # would also count how late a busy machine records an attempt).
    failing_for = datetime.fromisoformat(ep["disabled_at"]) - datetime.fromisoformat(ep["failing_since"])
    assert failing_for.total_seconds() >= compressed.disable_after_failing_s, ep


async def test_resend_and_recover_deliver_failed_messages_again(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, worker: Any
) -> None:
    account = new_id("acct")
    name = f"replay-{account}"
    healthy = {"up": False}
    receiver.script(name, lambda d, n: Answer() if healthy["up"] else Answer(status=500))
    endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
    h = tokens.headers(account, SCOPES)
    since = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=h)).json()["created_at"]
    for i in range(3):
        await publisher.publish(account_updated(account, f"v{i}"))

    async def failed_count() -> int:
        r = await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages?status=failed", headers=h)
        return len(r.json()["data"])

    await wait_until(lambda: _eq(failed_count(), 3))
    healthy["up"] = True
    failed = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages", headers=h)).json()["data"]

    resent = await client.post(f"/v1/webhook-messages/{failed[0]['id']}/resend", headers=h)
    assert resent.status_code == 202 and resent.json()["status"] == "pending"
    await wait_until(lambda: _message_status(client, failed[0]["id"], h, "succeeded"))
    assert await failed_count() == 2

    recovered = await client.post(f"/v1/webhook-endpoints/{endpoint['id']}/recover", json={"since": since}, headers=h)
    assert recovered.status_code == 200 and recovered.json()["requeued"] == 2
    await wait_until(lambda: _eq(failed_count(), 0))
    for m in failed:
        await wait_until(lambda m=m: _message_status(client, m["id"], h, "succeeded"))
    delivered_ids = {d.headers["webhook-id"] for d in receiver.deliveries(name) if d.received_at}
    assert {m["id"] for m in failed} <= delivered_ids
    # Recover refuses a time in the future and bad bodies.
    future = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/recover", json={"since": "2999-01-01T00:00:00Z"}, headers=h
    )
    assert future.status_code == 422
    naive = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/recover", json={"since": "2020-01-01T00:00:00"}, headers=h
    )
    assert naive.status_code == 422


async def test_the_guard_also_refuses_at_delivery_time(
    client: httpx.AsyncClient, tokens: TokenFactory, receiver: Receiver, publisher: Any, settings: Any
) -> None:
    """An endpoint accepted earlier is refused once its address is no longer allowed (DNS can change)."""
    strict = settings.model_copy(update={"ssrf_allow": [], "retry_schedule_s": [0]})
    running = await RunningWorker(strict).start()
    try:
        account = new_id("acct")
        name = f"ssrf-{account}"
        endpoint = await create_endpoint(client, tokens, account, receiver.url(name))
        await publisher.publish(account_updated(account))
        h = tokens.headers(account, SCOPES)

        async def refused() -> bool:
            r = await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages?status=failed", headers=h)
            return len(r.json()["data"]) == 1

        await wait_until(refused)
    finally:
        await running.close()
    message = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/messages", headers=h)).json()["data"][0]
    attempts = (await client.get(f"/v1/webhook-messages/{message['id']}/attempts", headers=h)).json()["data"]
    assert attempts[0]["outcome"] == "refused" and "loopback" in attempts[0]["error"]
    assert receiver.deliveries(name) == []


async def _has(receiver: Receiver, name: str, count: int) -> bool:
    return len(receiver.deliveries(name)) >= count


async def _eq(value: Any, expected: int) -> bool:
    return bool(await value == expected)


async def _message_status(client: httpx.AsyncClient, message_id: str, h: dict[str, str], status: str) -> bool:
    r = await client.get(f"/v1/webhook-messages/{message_id}", headers=h)
    return bool(r.json()["status"] == status)
