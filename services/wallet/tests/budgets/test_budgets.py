"""Budgets: set, read, disable; bounds from settings; ``wallet.budget.updated``."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from trickle_kit.relay import OutboxRelay
from trickle_kit.tables import OutboxRecord
from trickle_wallet.budgets.models import Budget


def eur(amount: int) -> dict[str, object]:
    return {"amount": amount, "currency": "EUR"}


async def test_a_new_account_has_a_disabled_zero_budget(client: httpx.AsyncClient, register, login) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    r = await client.get(f"/v1/accounts/{reg['account']['id']}/budget", headers=await login(reg))
    assert r.status_code == 200
    body = r.json()
    assert (body["enabled"], body["amount"], body["updated_at"]) == (False, eur(0), None)
    assert body["minimum_amount"] == eur(200)


async def test_a_patron_sets_a_budget_and_the_event_carries_it(
    client: httpx.AsyncClient, app, register, login, outbox_count
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    headers = await login(reg)
    body = {"amount": eur(500), "min_per_click": eur(10), "max_per_month": eur(2000)}
    r = await client.put(f"/v1/accounts/{acct}/budget", json=body, headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["enabled"], r.json()["amount"], r.json()["max_per_month"]) == (True, eur(500), eur(2000))
    got = await client.get(f"/v1/accounts/{acct}/budget", headers=headers)
    assert got.json() == r.json()
    # Setting the same budget again publishes nothing new.
    await client.put(f"/v1/accounts/{acct}/budget", json=body, headers=headers)
    assert await outbox_count("wallet.budget.updated", key=acct) == 1
    async with app.state.sessions() as session:
        row = (
            await session.execute(
                select(OutboxRecord).where(OutboxRecord.event_type == "wallet.budget.updated", OutboxRecord.key == acct)
            )
        ).scalar_one()
    assert row.payload["amount"] == eur(500) and row.payload["min_per_click"] == eur(10)
    assert row.payload["enabled"] is True


async def test_disabling_the_budget_stops_giving(client: httpx.AsyncClient, register, login, outbox_count) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    headers = await login(reg)
    await client.put(f"/v1/accounts/{acct}/budget", json={"amount": eur(300)}, headers=headers)
    r = await client.put(f"/v1/accounts/{acct}/budget", json={"enabled": False}, headers=headers)
    assert r.status_code == 200
    assert (r.json()["enabled"], r.json()["amount"], r.json()["min_per_click"]) == (False, eur(0), None)
    assert await outbox_count("wallet.budget.updated", key=acct) == 2


BAD_BUDGETS = [
    ({"amount": eur(199)}, "body.amount.amount", "budget_below_minimum"),
    ({"amount": eur(0)}, "body.amount.amount", "budget_below_minimum"),
    ({"amount": eur(-500)}, "body.amount.amount", "budget_below_minimum"),
    ({"amount": eur(10**13)}, "body.amount.amount", "amount_too_large"),
    ({"amount": eur(10**14)}, "body.amount.amount", "less_than_equal"),
    ({"amount": {"amount": 500, "currency": "USD"}}, "body.amount.currency", "currency_mismatch"),
    ({"amount": {"amount": 500, "currency": "eur"}}, "body.amount.currency", "string_pattern_mismatch"),
    ({"amount": {"amount": 5.5, "currency": "EUR"}}, "body.amount.amount", "int_type"),
    ({"amount": {"amount": "500", "currency": "EUR"}}, "body.amount.amount", "int_type"),
    ({"amount": eur(500), "min_per_click": eur(-1)}, "body.min_per_click.amount", "amount_too_small"),
    ({"amount": eur(500), "max_per_month": eur(499)}, "body.max_per_month.amount", "max_below_amount"),
    ({"amount": eur(500), "overdraft": True}, "body.overdraft", "extra_forbidden"),
    ({}, "body", "value_error"),
    ({"enabled": False, "amount": eur(500)}, "body", "value_error"),
    ({"enabled": "no"}, "body.enabled", "bool_type"),
]


@pytest.mark.parametrize(("body", "field", "code"), BAD_BUDGETS)
async def test_a_bad_budget_is_refused_naming_the_field_and_nothing_changes(
    client: httpx.AsyncClient, app, register, login, outbox_count, body, field, code
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    r = await client.put(f"/v1/accounts/{acct}/budget", json=body, headers=await login(reg))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert (field, code) in [(e["field"], e["type"]) for e in r.json()["errors"]]
    async with app.state.sessions() as session:
        assert (await session.execute(select(Budget).where(Budget.account_id == acct))).first() is None
    assert await outbox_count("wallet.budget.updated", key=acct) == 0


async def test_malformed_and_oversized_budget_bodies_are_refused(
    client: httpx.AsyncClient, register, login, outbox_count
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    headers = {**(await login(reg)), "content-type": "application/json"}
    r = await client.put(f"/v1/accounts/{acct}/budget", content=b'{"amount": {"amount": 5', headers=headers)
    assert (r.status_code, r.json()["code"]) == (400, "malformed_json")
    r = await client.put(f"/v1/accounts/{acct}/budget", content=b" " * 100_000, headers=headers)
    assert (r.status_code, r.json()["code"]) == (413, "payload_too_large")
    assert await outbox_count("wallet.budget.updated", key=acct) == 0


async def test_the_minimum_is_configurable(database_url, topic_prefix) -> None:  # type: ignore[no-untyped-def]
    from trickle_wallet.app import build_app
    from trickle_wallet.settings import Settings

    settings = Settings(
        database_url=database_url, topic_prefix=topic_prefix, rate_limit_enabled=False, budget_min_amount=1000
    )
    app = build_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://w") as c:
        reg = (await c.post("/v1/accounts", json={"display_name": "M", "email": "min-config@example.org"})).json()
        token = await c.post(
            "/v1/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": reg["api_key"]["id"],
                "client_secret": reg["api_key"]["secret"],
            },
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        path = f"/v1/accounts/{reg['account']['id']}/budget"
        low = await c.put(path, json={"amount": eur(999)}, headers=headers)
        assert (low.status_code, low.json()["code"]) == (422, "budget_below_minimum")
        ok = await c.put(path, json={"amount": eur(1000)}, headers=headers)
        assert ok.status_code == 200


async def test_budget_events_reach_kafka(app, client, register, login, settings) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from trickle_kit.testing import EVENTUAL_S, read_topic

    reg = await register()
    acct = reg["account"]["id"]
    await client.put(f"/v1/accounts/{acct}/budget", json={"amount": eur(700)}, headers=await login(reg))
    relay = OutboxRelay(app.state.engine, bootstrap=settings.kafka_bootstrap, topic_prefix=settings.topic_prefix)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        events = await read_topic(
            settings.topic("wallet"),
            until=lambda evs: any(e.type == "wallet.budget.updated" and e.data["account_id"] == acct for e in evs),
        )
    finally:
        stop.set()
        await asyncio.wait_for(task, EVENTUAL_S)
    budget = next(e for e in events if e.type == "wallet.budget.updated" and e.data["account_id"] == acct)
    assert budget.data["amount"] == eur(700) and budget.data["enabled"] is True
