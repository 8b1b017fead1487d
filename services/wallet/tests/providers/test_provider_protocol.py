"""Deposits and payouts talk to whichever PaymentProvider the wallet is configured with, and record its name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

from trickle_wallet.providers.base import PaymentOrder, PaymentProvider

from ..support.money import eur, unique_key


class RecordingProvider:
    """A provider other than the sandbox: it remembers the orders it is given and never calls back."""

    name = "recording"

    def __init__(self) -> None:
        self.orders: list[PaymentOrder] = []

    async def start(self, order: PaymentOrder) -> str:
        self.orders.append(order)
        return f"rec_{order.reference}"

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> None:
        return None


def typed(provider: PaymentProvider) -> PaymentProvider:
    """Only the protocol: mypy refuses a provider that does not implement it."""
    return provider


async def test_a_deposit_goes_to_the_configured_provider_and_carries_its_name(
    app: FastAPI, client: Any, register: Any, tokens: Any
) -> None:
    provider = RecordingProvider()
    app.state.payment_provider = typed(provider)
    account_id = (await register())["account"]["id"]
    headers = {**tokens.headers(account_id), "Idempotency-Key": unique_key()}
    r = await client.post("/v1/deposits", json={"method": "card", "amount": eur(2_000)}, headers=headers)
    assert r.status_code == 202, r.text
    assert r.json()["provider"] == "recording"
    assert [(o.kind, o.reference) for o in provider.orders] == [("deposit", r.json()["id"])]


async def test_a_payout_is_recorded_for_the_configured_provider(
    app: FastAPI, client: Any, register: Any, tokens: Any
) -> None:
    app.state.payment_provider = typed(RecordingProvider())
    account_id = (await register())["account"]["id"]
    headers = {**tokens.headers(account_id), "Idempotency-Key": unique_key()}
    r = await client.post("/v1/payouts", json={"amount": eur(2_500)}, headers=headers)
    assert r.status_code == 202, r.text
    assert r.json()["provider"] == "recording"
