"""Deposit requests: bad input, the auth matrix and idempotency — nothing stored, no event, on refusal."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from trickle_kit.tables import OutboxRecord
from trickle_wallet.deposits.models import Deposit

from ..support.money import eur, unique_key


async def _deposits_of(app, account_id: str) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        stmt = select(func.count()).select_from(Deposit).where(Deposit.account_id == account_id)
        return int((await session.execute(stmt)).scalar_one())


async def _deposit_events(app) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        stmt = select(func.count()).select_from(OutboxRecord).where(OutboxRecord.event_type.like("wallet.deposit.%"))
        return int((await session.execute(stmt)).scalar_one())


BAD_BODIES = [
    ({"method": "card", "amount": eur(0)}, 422, "body.amount.amount"),
    ({"method": "card", "amount": eur(-500)}, 422, "body.amount.amount"),
    ({"method": "card", "amount": eur(10**15)}, 422, "body.amount.amount"),
    ({"method": "card", "amount": eur(1_000_001)}, 422, "body.amount.amount"),  # above the configured maximum
    ({"method": "card", "amount": eur(99)}, 422, "body.amount.amount"),  # below the configured minimum
    ({"method": "card", "amount": {"amount": 1000, "currency": "USD"}}, 422, "body.amount.currency"),
    ({"method": "card", "amount": {"amount": 1000, "currency": "eur"}}, 422, "body.amount.currency"),
    ({"method": "card", "amount": {"amount": 10.5, "currency": "EUR"}}, 422, "body.amount.amount"),
    ({"method": "card", "amount": {"amount": "1000", "currency": "EUR"}}, 422, "body.amount.amount"),
    ({"method": "cheque", "amount": eur(1000)}, 422, "body.method"),
    ({"method": "card", "amount": eur(1000), "tip": 1}, 422, "body.tip"),
    ({"method": "card", "amount": eur(1000), "sandbox": "explode"}, 422, "body.sandbox"),
    ({"amount": eur(1000)}, 422, "body.method"),
]


@pytest.mark.parametrize(("body", "status", "field"), BAD_BODIES)
async def test_bad_deposit_input_is_refused_naming_the_field(
    app, client, register, tokens, body, status, field
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    before = await _deposit_events(app)
    for path in ("/v1/deposits", "/v1/deposits/quote"):
        if path.endswith("quote"):
            body = {k: v for k, v in body.items() if k != "sandbox"}
            if field == "body.sandbox":
                continue
        r = await client.post(path, json=body, headers=tokens.headers(account_id))
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in r.json()["errors"]], r.json()
    assert await _deposits_of(app, account_id) == 0
    assert await _deposit_events(app) == before


async def test_malformed_json_and_oversized_bodies_are_refused(app, client, register, tokens) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    headers = {**tokens.headers(account_id), "content-type": "application/json"}
    r = await client.post("/v1/deposits", content=b'{"method": "card", "amount": {', headers=headers)
    assert r.status_code == 400 and r.json()["code"] == "malformed_json"
    huge = b'{"method": "card", "amount": {"amount": 1000, "currency": "EUR"}, "x": "' + b"a" * 200_000 + b'"}'
    r = await client.post("/v1/deposits", content=huge, headers=headers)
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
    assert await _deposits_of(app, account_id) == 0


async def test_sandbox_instructions_are_refused_outside_sandbox_mode(app, client, register, tokens) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    app.state.settings.payments_sandbox = False
    r = await client.post(
        "/v1/deposits",
        json={"method": "card", "amount": eur(1000), "sandbox": "fail"},
        headers=tokens.headers(account_id),
    )
    assert r.status_code == 422 and r.json()["code"] == "sandbox_disabled"
    assert r.json()["errors"][0]["field"] == "body.sandbox"
    assert await _deposits_of(app, account_id) == 0


async def test_auth_matrix_of_deposits(app, client: httpx.AsyncClient, register, tokens, sandbox) -> None:  # type: ignore[no-untyped-def]
    owner = (await register())["account"]["id"]
    stranger = (await register())["account"]["id"]
    body = {"method": "card", "amount": eur(1000), "sandbox": "timeout"}
    created = await client.post("/v1/deposits", json=body, headers=tokens.headers(owner))
    dep_id = created.json()["id"]
    calls = [
        ("POST", "/v1/deposits", body),
        ("POST", "/v1/deposits/quote", {"method": "card", "amount": eur(1000)}),
        ("GET", f"/v1/deposits/{dep_id}", None),
        ("GET", "/v1/deposits", None),
    ]
    for method, path, json in calls:
        for headers, code in [
            ({}, "unauthenticated"),
            (tokens.expired_headers(owner), "token_expired"),
            (tokens.forged_headers(owner), "invalid_token"),
        ]:
            r = await client.request(method, path, json=json, headers=headers)
            assert (r.status_code, r.json()["code"]) == (401, code), (method, path, r.text)
        r = await client.request(method, path, json=json, headers=tokens.headers(owner, ["accounts:read"]))
        assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope"), (method, path)
    assert (await client.get(f"/v1/deposits/{dep_id}", headers=tokens.headers(stranger))).status_code == 404
    assert (await client.get("/v1/deposits", headers=tokens.headers(stranger))).json()["data"] == []
    assert (await client.get(f"/v1/deposits/{dep_id}", headers=tokens.operator_headers())).status_code == 200
    r = await client.post("/v1/deposits", json=body, headers=tokens.operator_headers())
    assert (r.status_code, r.json()["code"]) == (403, "account_token_required")
    assert await _deposits_of(app, owner) == 1


async def test_the_same_idempotency_key_replays_and_a_different_body_is_refused(
    app, client, register, tokens, sandbox
) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    headers = {**tokens.headers(account_id), "Idempotency-Key": unique_key()}
    body = {"method": "card", "amount": eur(1500), "sandbox": "timeout"}
    first = await client.post("/v1/deposits", json=body, headers=headers)
    again = await client.post("/v1/deposits", json=body, headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    other = await client.post("/v1/deposits", json={**body, "amount": eur(1600)}, headers=headers)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert await _deposits_of(app, account_id) == 1


async def test_concurrent_requests_with_one_key_make_one_deposit(app, client, register, tokens, sandbox) -> None:  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    headers = {**tokens.headers(account_id), "Idempotency-Key": unique_key()}
    body = {"method": "card", "amount": eur(1500), "sandbox": "timeout"}
    responses = await asyncio.gather(*(client.post("/v1/deposits", json=body, headers=headers) for _ in range(6)))
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {202, 409} and 202 in statuses, statuses
    assert len({r.json()["id"] for r in responses if r.status_code == 202}) == 1
    assert all(r.json()["code"] == "idempotency_request_in_progress" for r in responses if r.status_code == 409)
    assert await _deposits_of(app, account_id) == 1
