"""Shared steps of the delivery tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from trickle_events.clicks import ClickRegistered
from trickle_events.wallet import AccountUpdated
from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

SCOPES = ["webhooks:read", "webhooks:write"]


def account_updated(account: str, name: str = "Ada") -> AccountUpdated:
    return AccountUpdated(account_id=account, display_name=name, kind="person", currency="EUR")


def click(patron: str, owner: str | None, public: bool = False) -> ClickRegistered:
    return ClickRegistered(
        click_id=new_id("clk"),
        patron_id=patron,
        thing_id=new_id("thing"),
        owner_id=owner,
        weight=1,
        period="2026-11",
        clicked_at=datetime.now(UTC),
        public=public,
    )


async def create_endpoint(
    client: httpx.AsyncClient, tokens: TokenFactory, account: str | None, url: str, **extra: Any
) -> dict[str, Any]:
    headers = tokens.operator_headers() if account is None else tokens.headers(account, SCOPES)
    body = {"url": url, **extra}
    if account is None:
        body.setdefault("all_accounts", True)
    response = await client.post("/v1/webhook-endpoints", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created
