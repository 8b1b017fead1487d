"""The click-ledger learns each patron's privacy choice from wallet.account.* events."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from trickle_click_ledger.consumers import accounts_consumer
from trickle_events.wallet import AccountCreated, AccountDeleted, AccountUpdated
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.testing import EVENTUAL_S, KAFKA, wait_until
from trickle_kit.testing_auth import TokenFactory

from .support.apps import sessions_of
from .support.ownership import prove_ownership


def record(event: Any) -> Envelope:
    return Envelope(
        id=new_id("evt"),
        type=event.event_type,
        source="trickle/wallet",
        time=utcnow(),
        data=event.model_dump(mode="json"),
    )


async def test_public_giving_shows_the_patron_to_the_creator(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    creator, public_patron, private_patron = new_id("acct"), new_id("acct"), new_id("acct")
    base = {"display_name": "x", "kind": "person", "currency": "EUR"}
    created = record(AccountCreated(account_id=public_patron, giving_public=False, **base))
    events = [
        created,
        record(AccountUpdated(account_id=public_patron, giving_public=True, **base)),
        created,  # redelivered: no second effect
        record(AccountCreated(account_id=private_patron, **base)),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA)
    await producer.start()
    try:
        for env in events:
            key = env.data["account_id"].encode()
            await producer.send_and_wait(settings.topic("wallet"), env.value(), key=key, headers=env.headers())
    finally:
        await producer.stop()

    consumer = accounts_consumer(settings, sessions_of(client))
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await wait_until(lambda: _applied(consumer, 3))
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, EVENTUAL_S)

    await prove_ownership(client, creator, f"https://privacy.example/{creator}")
    thing = (
        await client.post(
            "/v1/things", json={"url": f"https://privacy.example/{creator}"}, headers=tokens.headers(creator)
        )
    ).json()
    public = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(public_patron))
    private = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(private_patron))
    assert public.json()["public"] is True and private.json()["public"] is False
    seen = (await client.get(f"/v1/things/{thing['id']}/clicks", headers=tokens.headers(creator))).json()["data"]
    assert {c["id"]: c["patron_id"] for c in seen} == {public.json()["id"]: public_patron, private.json()["id"]: None}


async def _applied(consumer: Any, n: int) -> bool:
    return bool(consumer.applied >= n)


async def _deliver(settings: Any, client: httpx.AsyncClient, events: list[Envelope]) -> None:
    """Publish ``events`` on the wallet topic and run the accounts consumer until it applied them all."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA)
    await producer.start()
    try:
        for env in events:
            key = env.data["account_id"].encode()
            await producer.send_and_wait(settings.topic("wallet"), env.value(), key=key, headers=env.headers())
    finally:
        await producer.stop()
    consumer = accounts_consumer(settings, sessions_of(client))
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await wait_until(lambda: _applied(consumer, len(events)))
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, EVENTUAL_S)


async def test_a_suspended_or_deleted_patron_cannot_click_and_lifting_the_suspension_lets_them(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    creator, patron, gone = new_id("acct"), new_id("acct"), new_id("acct")
    base = {"display_name": "x", "kind": "person", "currency": "EUR"}
    await _deliver(
        settings,
        client,
        [
            record(AccountUpdated(account_id=patron, suspended=True, **base)),
            record(AccountCreated(account_id=gone, giving_public=True, **base)),
            record(AccountDeleted(account_id=gone, suspended=True, deleted=True, **base)),
        ],
    )
    url = f"https://suspended.example/{creator}"
    await prove_ownership(client, creator, url)
    thing = (await client.post("/v1/things", json={"url": url}, headers=tokens.headers(creator))).json()
    for who in (patron, gone):
        by_id = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(who))
        assert (by_id.status_code, by_id.json()["code"]) == (409, "account_suspended"), by_id.text
        by_url = await client.post("/v1/clicks", json={"url": url + "/other"}, headers=tokens.headers(who))
        assert (by_url.status_code, by_url.json()["code"]) == (409, "account_suspended")
    listed = await client.get("/v1/clicks", headers=tokens.headers(patron))
    assert (listed.status_code, listed.json()["data"]) == (200, [])  # reads still work; nothing was stored

    await _deliver(settings, client, [record(AccountUpdated(account_id=patron, suspended=False, **base))])
    ok = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))
    assert ok.status_code == 201, ok.text
