"""A day's provider fees against the fees the wallet recorded: differences are reported, no money moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from trickle_kit.envelope import utcnow
from trickle_kit.tables import OutboxRecord
from trickle_wallet.deposits.models import Deposit
from trickle_wallet.providers.registry import sandbox_fees
from trickle_wallet.providers.sandbox import SandboxProvider, asgi_deliver

from ..support.money import eur

FEES = "/v1/providers/fees"


@pytest.fixture
async def charging(app: FastAPI) -> AsyncIterator[SandboxProvider]:
    """The app's provider: a sandbox charging what the wallet's fee schedule says, calling back at once."""
    settings = app.state.settings
    provider = SandboxProvider(
        secret=settings.sandbox_callback_secret,
        deliver=asgi_deliver(app),
        delay_s=0.0,
        retry_base_s=0.05,
        fee_of=sandbox_fees(settings),
    )
    app.state.payment_provider = provider
    yield provider
    await provider.aclose()


@pytest.fixture
async def patron(register, tokens):  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    return account_id, tokens.headers(account_id)


async def _deposit(client, patron, charging, method: str, amount: int, instruction: str = "succeed") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = await client.post(
        "/v1/deposits", json={"method": method, "amount": eur(amount), "sandbox": instruction}, headers=patron[1]
    )
    assert r.status_code == 202, r.text
    await charging.drain()
    body: dict[str, Any] = (await client.get(f"/v1/deposits/{r.json()['id']}", headers=patron[1])).json()
    return body


def _about(report: dict[str, Any], *ids: str) -> list[dict[str, Any]]:
    return [d for d in report["differences"] if d["reference"] in ids]


async def _outbox(app: FastAPI) -> int:
    async with app.state.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(OutboxRecord))).scalar_one())


async def test_fees_charged_as_recorded_match(app, client, patron, charging, tokens) -> None:  # type: ignore[no-untyped-def]
    card = await _deposit(client, patron, charging, "card", 1_225)
    paypal = await _deposit(client, patron, charging, "paypal", 10_000)
    assert card["status"] == paypal["status"] == "succeeded"
    day = card["created_at"][:10]
    r = await client.get(FEES, params={"day": day}, headers=tokens.operator_headers())
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["provider"] == "sandbox" and report["day"] == day
    assert _about(report, card["id"], paypal["id"]) == []
    assert report["matched"] >= 2
    for total in report["totals"]:
        assert total["difference"] == total["provider"] - total["wallet"]


async def test_a_changed_provider_price_and_a_charge_for_a_failed_deposit_are_reported_not_booked(
    app, client, patron, charging, tokens
) -> None:  # type: ignore[no-untyped-def]
    schedule = sandbox_fees(app.state.settings)
    charging.fee_of = lambda order: schedule(order) + (5 if order.method == "card" else 0)  # the provider's new price
    dearer = await _deposit(client, patron, charging, "card", 2_000)
    unchanged = await _deposit(client, patron, charging, "bank_transfer", 2_000)
    # The provider collects this one, its callback is lost and the wallet times the deposit out.
    collected = await _deposit(client, patron, charging, "bank_transfer", 5_000, "lose_callback")
    async with app.state.sessions() as session, session.begin():
        past = utcnow() - timedelta(seconds=1)
        await session.execute(update(Deposit).where(Deposit.id == collected["id"]).values(expires_at=past))
    timed_out = (await client.get(f"/v1/deposits/{collected['id']}", headers=patron[1])).json()
    assert timed_out["status"] == "failed"

    before = await _outbox(app)
    r = await client.get(FEES, params={"day": dearer["created_at"][:10]}, headers=tokens.operator_headers())
    assert r.status_code == 200, r.text
    report = r.json()
    assert _about(report, unchanged["id"]) == []
    [mismatch] = _about(report, dearer["id"])
    assert mismatch["kind"] == "mismatch" and mismatch["object"] == "deposit"
    assert mismatch["provider_fee"]["amount"] == mismatch["wallet_fee"]["amount"] + 5 == dearer["fee"]["amount"] + 5
    [unrecorded] = _about(report, collected["id"])
    assert unrecorded["kind"] == "unrecorded" and unrecorded["wallet_fee"] is None
    assert unrecorded["provider_fee"]["amount"] == collected["fee"]["amount"] > 0
    [eur_total] = [t for t in report["totals"] if t["currency"] == "EUR"]
    assert eur_total["difference"] == eur_total["provider"] - eur_total["wallet"]
    assert await _outbox(app) == before  # reported only: nothing is booked


async def test_a_fee_the_provider_does_not_report_is_reported(app, client, patron, charging, tokens) -> None:  # type: ignore[no-untyped-def]
    deposit = await _deposit(client, patron, charging, "paypal", 3_000)
    charging.processed.clear()  # the provider's report forgets it
    r = await client.get(FEES, params={"day": deposit["created_at"][:10]}, headers=tokens.operator_headers())
    [unreported] = _about(r.json(), deposit["id"])
    assert unreported["kind"] == "unreported" and unreported["provider_fee"] is None
    assert unreported["wallet_fee"] == deposit["fee"]


@pytest.mark.parametrize("day", ["yesterday", "2026-13-01", "0001-01-01", "9999-12-31", "", "2026-12-03T12:30:00Z"])
async def test_a_day_that_is_not_one_is_refused(client, tokens, day: str) -> None:  # type: ignore[no-untyped-def]
    r = await client.get(FEES, params={"day": day}, headers=tokens.operator_headers())
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_only_operators_read_provider_fees(client, patron, tokens) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get(FEES, params={"day": "2026-12-03"}, headers=patron[1])).status_code == 403
    assert (await client.get(FEES, params={"day": "2026-12-03"})).status_code == 401
    missing = await client.get(FEES, headers=tokens.operator_headers())
    assert missing.status_code == 422
