"""Accounts: registration, profile, non-profit flag and commission, with their events."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import EVENTUAL_S, read_topic
from trickle_wallet.accounts.models import Account


async def _accounts_with_email(app, email: str) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        stmt = select(func.count()).select_from(Account).where(Account.email == email)
        return int((await session.execute(stmt)).scalar_one())


async def test_registration_returns_the_account_and_a_first_key_whose_token_reads_it(
    client: httpx.AsyncClient, outbox_count, login
) -> None:  # type: ignore[no-untyped-def]
    r = await client.post(
        "/v1/accounts",
        json={"display_name": "  Ada Lovelace ", "email": "Ada@Example.org", "kind": "organisation"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    account = body["account"]
    assert account["id"].startswith("acct_")
    assert r.headers["location"] == f"/v1/accounts/{account['id']}"
    assert account["display_name"] == "Ada Lovelace"
    assert account["email"] == "ada@example.org"
    assert (account["kind"], account["currency"], account["commission_bps"]) == ("organisation", "EUR", 1000)
    assert (account["non_profit"], account["giving_public"]) == (False, False)
    assert body["api_key"]["secret"].startswith("tks_")
    assert "accounts:read" in body["api_key"]["scopes"] and "operator" not in body["api_key"]["scopes"]
    assert await outbox_count("wallet.account.created", subject=account["id"]) == 1

    headers = await login(body)
    got = await client.get(f"/v1/accounts/{account['id']}", headers=headers)
    assert got.status_code == 200
    assert got.json() == account


async def test_an_email_registers_one_account_only(client: httpx.AsyncClient, app, outbox_count) -> None:  # type: ignore[no-untyped-def]
    body = {"display_name": "Bo", "email": "bo-twice@example.org"}
    first, second = await asyncio.gather(client.post("/v1/accounts", json=body), client.post("/v1/accounts", json=body))
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    refused = first if first.status_code == 409 else second
    assert refused.json()["code"] == "email_taken"
    assert refused.headers["content-type"] == "application/problem+json"
    assert await _accounts_with_email(app, "bo-twice@example.org") == 1


async def test_a_replayed_registration_returns_the_same_account_without_the_secret(
    client: httpx.AsyncClient, app, outbox_count
) -> None:  # type: ignore[no-untyped-def]
    body = {"display_name": "Cy", "email": "cy-replay@example.org"}
    headers = {"Idempotency-Key": "reg-cy-1"}
    first = await client.post("/v1/accounts", json=body, headers=headers)
    again = await client.post("/v1/accounts", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["account"] == first.json()["account"]
    assert first.json()["api_key"]["secret"] and again.json()["api_key"]["secret"] is None
    assert await outbox_count("wallet.account.created", subject=first.json()["account"]["id"]) == 1

    other = await client.post("/v1/accounts", json={**body, "display_name": "Cyril"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


BAD_REGISTRATIONS = [
    ({"display_name": "X", "email": "x@example.org", "admin": True}, 422, "body.admin"),
    ({"display_name": "", "email": "x@example.org"}, 422, "body.display_name"),
    ({"display_name": "X" * 101, "email": "x@example.org"}, 422, "body.display_name"),
    ({"display_name": "X", "email": "not-an-email"}, 422, "body.email"),
    ({"display_name": "X", "email": "x@example.org", "kind": "robot"}, 422, "body.kind"),
    ({"display_name": "X", "email": "x@example.org", "currency": "eur"}, 422, "body.currency"),
    ({"display_name": "X", "email": "x@example.org", "currency": "USD"}, 422, "body.currency"),
    ({"email": "x@example.org"}, 422, "body.display_name"),
]


@pytest.mark.parametrize(("body", "status", "field"), BAD_REGISTRATIONS)
async def test_a_bad_registration_is_refused_naming_the_field_and_stores_nothing(
    client: httpx.AsyncClient, app, outbox_count, body, status: int, field: str
) -> None:  # type: ignore[no-untyped-def]
    before = await outbox_count("wallet.account.created")
    r = await client.post("/v1/accounts", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json()["errors"]]
    assert await _accounts_with_email(app, "x@example.org") == 0
    assert await outbox_count("wallet.account.created") == before


async def test_malformed_json_and_oversized_bodies_are_refused(client: httpx.AsyncClient, app, outbox_count) -> None:  # type: ignore[no-untyped-def]
    before = await outbox_count("wallet.account.created")
    malformed = await client.post(
        "/v1/accounts", content=b'{"display_name": "X", "email": ', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "malformed_json"
    huge = await client.post("/v1/accounts", json={"display_name": "X" * 70_000, "email": "x@example.org"})
    assert huge.status_code == 413
    assert huge.json()["code"] == "payload_too_large"
    assert await outbox_count("wallet.account.created") == before


async def test_the_holder_renames_the_account_and_makes_giving_public(
    client: httpx.AsyncClient, register, login, outbox_count
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    headers = await login(reg)
    r = await client.patch(
        f"/v1/accounts/{acct}", json={"display_name": "Ada L.", "giving_public": True}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert (r.json()["display_name"], r.json()["giving_public"]) == ("Ada L.", True)
    assert await outbox_count("wallet.account.updated", subject=acct) == 1
    # The same change again changes nothing and says nothing.
    same = await client.patch(f"/v1/accounts/{acct}", json={"giving_public": True}, headers=headers)
    assert same.status_code == 200
    assert await outbox_count("wallet.account.updated", subject=acct) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"display_name": None}, "body"),
        ({"display_name": ""}, "body.display_name"),
        ({"giving_public": "sometimes"}, "body.giving_public"),
        ({"non_profit": True}, "body.non_profit"),
        ({"commission_bps": 0}, "body.commission_bps"),
    ],
)
async def test_a_bad_update_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, register, login, outbox_count, body, field: str
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    r = await client.patch(f"/v1/accounts/{acct}", json=body, headers=await login(reg))
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
    assert await outbox_count("wallet.account.updated", subject=acct) == 0


async def test_an_operator_flags_a_non_profit_which_then_pays_no_commission(
    client: httpx.AsyncClient, register, login, outbox_count
) -> None:  # type: ignore[no-untyped-def]
    acct = (await register(kind="organisation"))["account"]["id"]
    operator = await login()
    r = await client.post(f"/v1/accounts/{acct}/non-profit", json={"non_profit": True}, headers=operator)
    assert r.status_code == 200, r.text
    assert (r.json()["non_profit"], r.json()["commission_bps"]) == (True, 0)
    assert await outbox_count("wallet.account.updated", subject=acct) == 1

    refused = await client.put(f"/v1/accounts/{acct}/commission", json={"commission_bps": 500}, headers=operator)
    assert refused.status_code == 409
    assert refused.json()["code"] == "account_is_non_profit"

    back = await client.post(f"/v1/accounts/{acct}/non-profit", json={"non_profit": False}, headers=operator)
    assert (back.json()["non_profit"], back.json()["commission_bps"]) == (False, 1000)
    rate = await client.put(f"/v1/accounts/{acct}/commission", json={"commission_bps": 500}, headers=operator)
    assert rate.status_code == 200
    assert rate.json()["commission_bps"] == 500
    assert await outbox_count("wallet.account.updated", subject=acct) == 3


@pytest.mark.parametrize("bps", [-1, 10_001, 10**12, "500", 5.5])
async def test_an_absurd_commission_rate_is_refused(
    client: httpx.AsyncClient, register, login, outbox_count, bps
) -> None:  # type: ignore[no-untyped-def]
    acct = (await register())["account"]["id"]
    r = await client.put(f"/v1/accounts/{acct}/commission", json={"commission_bps": bps}, headers=await login())
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.commission_bps"]
    assert await outbox_count("wallet.account.updated", subject=acct) == 0


async def test_operator_endpoints_on_an_unknown_account_are_404(client: httpx.AsyncClient, login) -> None:  # type: ignore[no-untyped-def]
    operator = await login()
    missing = "acct_00000000000000000000000000000000"
    r = await client.post(f"/v1/accounts/{missing}/non-profit", json={}, headers=operator)
    assert r.status_code == 404
    r = await client.put(f"/v1/accounts/{missing}/commission", json={"commission_bps": 1}, headers=operator)
    assert r.status_code == 404


async def test_account_events_reach_kafka_through_the_relay(app, register, login, client, settings) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    await client.patch(f"/v1/accounts/{acct}", json={"display_name": "Renamed"}, headers=await login(reg))
    relay = OutboxRelay(app.state.engine, bootstrap=settings.kafka_bootstrap, topic_prefix=settings.topic_prefix)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        mine = lambda events: [e for e in events if e.subject == acct]  # noqa: E731
        events = await read_topic(settings.topic("wallet"), until=lambda evs: len(mine(evs)) >= 2)
    finally:
        stop.set()
        await asyncio.wait_for(task, EVENTUAL_S)
    created, updated = mine(events)[:2]
    assert (created.type, updated.type) == ("wallet.account.created", "wallet.account.updated")
    assert created.source == "trickle/wallet"
    assert updated.data["display_name"] == "Renamed"
    assert created.data["commission_bps"] == 1000
