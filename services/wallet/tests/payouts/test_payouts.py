"""Payouts end to end: requested → reserved by the ledger → paid (or failed) by the sandbox provider."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from trickle_events.ledger import PayoutRejected, PayoutReserved
from trickle_kit.money import Money
from trickle_kit.tables import OutboxRecord
from trickle_wallet.payouts.models import Payout

from ..support.money import eur, poll_status, unique_key


@pytest.fixture
async def creator(register, tokens):  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    return account_id, tokens.headers(account_id)


async def _payouts_of(app, account_id: str) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        stmt = select(func.count()).select_from(Payout).where(Payout.account_id == account_id)
        return int((await session.execute(stmt)).scalar_one())


async def test_a_reserved_payout_is_paid_out_by_the_provider_and_the_ledger_hears_of_it(client, creator, live) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = creator
    r = await client.post(
        "/v1/payouts", json={"amount": eur(2_500)}, headers={**headers, "Idempotency-Key": unique_key()}
    )
    assert r.status_code == 202, r.text
    po = r.json()
    assert po["status"] == "requested" and po["id"].startswith("po_") and po["provider"] == "sandbox"
    await live.wallet_events(
        lambda evs: any(e.type == "wallet.payout.requested" and e.subject == po["id"] for e in evs)
    )
    await live.ledger_says(
        PayoutReserved(
            payout_id=po["id"], account_id=account_id, amount=Money(amount=2_500, currency="EUR"), entry_id="je_r"
        )
    )
    done = await poll_status(client, f"/v1/payouts/{po['id']}", headers, "paid")
    assert done["completed_at"] is not None
    events = await live.wallet_events(
        lambda evs: any(e.type == "wallet.payout.paid" and e.subject == po["id"] for e in evs)
    )
    [paid] = [e for e in events if e.type == "wallet.payout.paid" and e.subject == po["id"]]
    assert paid.data["amount"] == eur(2_500) and paid.data["account_id"] == account_id


async def test_a_payout_the_provider_cannot_make_fails_so_the_ledger_releases_it(client, creator, live) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = creator
    po = (await client.post("/v1/payouts", json={"amount": eur(1_000), "sandbox": "fail"}, headers=headers)).json()
    await live.ledger_says(
        PayoutReserved(
            payout_id=po["id"], account_id=account_id, amount=Money(amount=1_000, currency="EUR"), entry_id="je_r"
        )
    )
    done = await poll_status(client, f"/v1/payouts/{po['id']}", headers, "failed")
    assert done["reason"] == "sandbox_declined"
    events = await live.wallet_events(
        lambda evs: any(e.type == "wallet.payout.failed" and e.subject == po["id"] for e in evs)
    )
    assert not [e for e in events if e.type == "wallet.payout.paid" and e.subject == po["id"]]


async def test_a_duplicated_provider_callback_pays_once(app, client, creator, live) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = creator
    po = (await client.post("/v1/payouts", json={"amount": eur(1_000), "sandbox": "duplicate"}, headers=headers)).json()
    await live.ledger_says(
        PayoutReserved(
            payout_id=po["id"], account_id=account_id, amount=Money(amount=1_000, currency="EUR"), entry_id="je_r"
        )
    )
    await poll_status(client, f"/v1/payouts/{po['id']}", headers, "paid")
    await live.provider.drain()
    # Every callback has been answered: the duplicate staged no second event (what Kafka gets is
    # what the outbox holds, so this does not depend on how long one watches the topic).
    async with app.state.sessions() as session:
        stmt = select(OutboxRecord.event_type).where(OutboxRecord.subject == po["id"])
        staged = sorted((await session.execute(stmt)).scalars())
    assert staged == ["wallet.payout.paid", "wallet.payout.requested"]
    events = await live.wallet_events(lambda evs: sum(e.subject == po["id"] for e in evs) >= len(staged), settle_s=1.0)
    assert sorted(e.type for e in events if e.subject == po["id"]) == staged


async def test_a_payout_the_ledger_refuses_is_rejected(client, creator, live) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = creator
    po = (await client.post("/v1/payouts", json={"amount": eur(50_000)}, headers=headers)).json()
    await live.ledger_says(
        PayoutRejected(
            payout_id=po["id"],
            account_id=account_id,
            amount=Money(amount=50_000, currency="EUR"),
            reason="insufficient_earnings",
        )
    )
    done = await poll_status(client, f"/v1/payouts/{po['id']}", headers, "rejected")
    assert done["reason"] == "insufficient_earnings"
    listed = (await client.get("/v1/payouts", headers=headers)).json()
    assert [p["id"] for p in listed["data"]] == [po["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": eur(999)}, "body.amount.amount"),  # below the 10.00 minimum
        ({"amount": eur(0)}, "body.amount.amount"),
        ({"amount": eur(-1000)}, "body.amount.amount"),
        ({"amount": eur(10**13)}, "body.amount.amount"),
        ({"amount": {"amount": 5000, "currency": "GBP"}}, "body.amount.currency"),
        ({"amount": eur(5000), "iban": "x"}, "body.iban"),
        ({"amount": eur(5000), "sandbox": "timeout"}, "body.sandbox"),
        ({}, "body.amount"),
    ],
)
async def test_bad_payout_requests_are_refused_naming_the_field(app, client, creator, body, field) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = creator
    r = await client.post("/v1/payouts", json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
    assert await _payouts_of(app, account_id) == 0


async def test_auth_idempotency_and_malformed_payouts(app, client, creator, tokens) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = creator
    other = tokens.headers(
        (
            await client.post("/v1/accounts", json={"display_name": "O", "email": f"o-{unique_key()}@example.org"})
        ).json()["account"]["id"]
    )
    key = {**headers, "Idempotency-Key": unique_key()}
    first = await client.post("/v1/payouts", json={"amount": eur(1_000)}, headers=key)
    again = await client.post("/v1/payouts", json={"amount": eur(1_000)}, headers=key)
    assert first.json()["id"] == again.json()["id"]
    assert (await client.post("/v1/payouts", json={"amount": eur(2_000)}, headers=key)).status_code == 422
    po = first.json()["id"]
    assert (await client.get(f"/v1/payouts/{po}", headers=other)).status_code == 404
    for h, status in [
        ({}, 401),
        (tokens.expired_headers(account_id), 401),
        (tokens.forged_headers(account_id), 401),
        (tokens.headers(account_id, ["wallet:read"]), 403),
    ]:
        assert (await client.post("/v1/payouts", json={"amount": eur(1_000)}, headers=h)).status_code == status
    assert (
        await client.get(f"/v1/payouts/{po}", headers=tokens.headers(account_id, ["clicks:read"]))
    ).status_code == 403
    bad = {**headers, "content-type": "application/json"}
    assert (await client.post("/v1/payouts", content=b"[1,", headers=bad)).status_code == 400
    assert await _payouts_of(app, account_id) == 1
