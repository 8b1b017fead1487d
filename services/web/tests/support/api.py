"""A fake public API for the web app's unit tests: answers what each test tells it to, records what it was asked."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


def problem(status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None) -> httpx.Response:
    body: dict[str, Any] = {"type": "about:blank", "title": code, "status": status, "code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


def session_tokens(
    account_id: str = "acct_0190a1b2c3d4",
    *,
    access: str = "access-1",
    refresh: str = "refresh-1",
    expires_in: int = 900,
) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "refresh_token": refresh,
        "scope": "accounts:read accounts:write",
    }


@dataclass
class FakeApi:
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    seen: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, handler: Handler | httpx.Response | dict[str, Any], status: int = 200) -> None:
        if isinstance(handler, httpx.Response):
            answer = handler
            self.routes[(method, path)] = lambda _request: answer
        elif isinstance(handler, dict):
            body = handler
            self.routes[(method, path)] = lambda _request: httpx.Response(status, json=body)
        else:
            self.routes[(method, path)] = handler

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        handler = self.routes.get((request.method, request.url.path))
        if handler is None:
            return problem(404, "not_found", f"fake API: nothing at {request.method} {request.url.path}")
        return handler(request)

    def requests(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.seen if r.method == method and r.url.path == path]


def form_of(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.content.decode()))


def json_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


def eur(cents: int) -> dict[str, Any]:
    return {"amount": cents, "currency": "EUR"}


def balances(account_id: str, wallet: int = 0) -> dict[str, Any]:
    return {"account_id": account_id, "wallet": eur(wallet), "earnings": eur(0), "reserved": eur(0)}


def budget(account_id: str, amount: int = 500, **extra: Any) -> dict[str, Any]:
    return {"account_id": account_id, "enabled": True, "amount": eur(amount), "minimum_amount": eur(200)} | extra


def deposit(
    deposit_id: str, account_id: str, status: str = "pending", gross: int = 2000, fee: int = 70
) -> dict[str, Any]:
    return {
        "id": deposit_id,
        "account_id": account_id,
        "method": "card",
        "provider": "sandbox",
        "status": status,
        "gross": eur(gross),
        "fee": eur(fee),
        "net": eur(gross - fee),
        "created_at": "2026-12-03T06:00:00Z",
        "updated_at": "2026-12-03T06:00:00Z",
        "expires_at": "2026-12-03T07:00:00Z",
    }
