"""Every endpoint of accounts, API keys, budgets and signing keys refuses what it must."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from trickle_kit.testing_auth import TokenFactory


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {acct} and {key} are filled in
    scope: str
    body: dict[str, Any] | None = None
    operator_only: bool = False


ENDPOINTS = [
    Endpoint("GET", "/v1/accounts/{acct}", "accounts:read"),
    Endpoint("PATCH", "/v1/accounts/{acct}", "accounts:write", {"display_name": "Zed"}),
    Endpoint("POST", "/v1/accounts/{acct}/non-profit", "operator", {"non_profit": True}, operator_only=True),
    Endpoint("PUT", "/v1/accounts/{acct}/commission", "operator", {"commission_bps": 1}, operator_only=True),
    Endpoint("POST", "/v1/accounts/{acct}/api-keys", "accounts:write", {"name": "x"}),
    Endpoint("GET", "/v1/accounts/{acct}/api-keys", "accounts:read"),
    Endpoint("DELETE", "/v1/accounts/{acct}/api-keys/{key}", "accounts:write"),
    Endpoint("GET", "/v1/accounts/{acct}/budget", "wallet:read"),
    Endpoint("PUT", "/v1/accounts/{acct}/budget", "wallet:write", {"amount": {"amount": 500, "currency": "EUR"}}),
    Endpoint("POST", "/v1/signing-keys/rotate", "operator", operator_only=True),
]
IDS = [f"{e.method} {e.path}" for e in ENDPOINTS]


async def _call(client: httpx.AsyncClient, e: Endpoint, reg: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    path = e.path.format(acct=reg["account"]["id"], key=reg["api_key"]["id"])
    return await client.request(e.method, path, json=e.body, headers=headers)


def _assert_problem(r: httpx.Response, status: int) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
async def test_no_expired_or_forged_token_is_401(
    client: httpx.AsyncClient, register, tokens: TokenFactory, endpoint
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    acct = reg["account"]["id"]
    for headers in ({}, tokens.expired_headers(acct), tokens.forged_headers(acct), TokenFactory().headers(acct)):
        _assert_problem(await _call(client, endpoint, reg, headers), 401)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
async def test_a_token_without_the_scope_is_403(
    client: httpx.AsyncClient, register, tokens: TokenFactory, endpoint
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    r = await _call(client, endpoint, reg, tokens.headers(reg["account"]["id"], ["clicks:read"]))
    _assert_problem(r, 403)
    assert r.json()["code"] == "insufficient_scope"


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.operator_only], ids=lambda e: f"{e.method} {e.path}")
async def test_operator_endpoints_refuse_an_account_token_with_every_scope(
    client: httpx.AsyncClient, register, tokens: TokenFactory, endpoint
) -> None:  # type: ignore[no-untyped-def]
    reg = await register()
    _assert_problem(await _call(client, endpoint, reg, tokens.headers(reg["account"]["id"])), 403)
    ok = await _call(client, endpoint, reg, tokens.operator_headers())
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if not e.operator_only], ids=lambda e: f"{e.method} {e.path}"
)
async def test_another_accounts_resource_is_404_and_untouched(
    client: httpx.AsyncClient, app, register, tokens: TokenFactory, outbox_count, endpoint
) -> None:  # type: ignore[no-untyped-def]
    victim, intruder = await register(), await register()
    r = await _call(client, endpoint, victim, tokens.headers(intruder["account"]["id"]))
    _assert_problem(r, 404)
    assert r.json()["code"] == "not_found"
    acct = victim["account"]["id"]
    assert await outbox_count("wallet.account.updated", subject=acct) == 0
    assert await outbox_count("wallet.budget.updated", key=acct) == 0
    keys = await client.get(f"/v1/accounts/{acct}/api-keys", headers=tokens.headers(acct))
    assert [(k["id"], k["revoked_at"]) for k in keys.json()["data"]] == [(victim["api_key"]["id"], None)]
    # ...while the owner may.
    mine = await _call(client, endpoint, victim, tokens.headers(acct))
    assert mine.status_code in (200, 201), mine.text
