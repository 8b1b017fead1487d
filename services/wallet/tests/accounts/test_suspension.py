"""Operator suspension: no new deposits, tips or payouts (``account_suspended``); money and reads stay."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from trickle_kit.tables import OutboxRecord

from ..support.money import eur


async def _account_events(app, account_id: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    async with app.state.sessions() as session:
        stmt = (
            select(OutboxRecord.payload)
            .where(OutboxRecord.subject == account_id, OutboxRecord.event_type == "wallet.account.updated")
            .order_by(OutboxRecord.id)
        )
        rows = (await session.execute(stmt)).scalars().all()
    return list(rows)


async def test_a_suspended_account_reads_but_cannot_deposit_tip_or_pay_out_until_unsuspended(
    app, client: httpx.AsyncClient, register, tokens, sandbox
) -> None:  # type: ignore[no-untyped-def]
    patron = (await register())["account"]["id"]
    other = (await register())["account"]["id"]
    op = tokens.operator_headers()
    r = await client.put(f"/v1/accounts/{patron}/suspension", json={"reason": "chargebacks"}, headers=op)
    assert r.status_code == 200, r.text
    assert (r.json()["suspended"], r.json()["suspended_reason"]) == (True, "chargebacks")
    assert r.json()["suspended_at"] is not None

    h = tokens.headers(patron)
    attempts = [
        ("/v1/deposits", {"method": "card", "amount": eur(1_000), "sandbox": "timeout"}),
        ("/v1/transfers", {"to_account_id": other, "amount": eur(100)}),
        ("/v1/payouts", {"amount": eur(1_000)}),
    ]
    for path, body in attempts:
        refused = await client.post(path, json=body, headers=h)
        assert (refused.status_code, refused.json()["code"]) == (409, "account_suspended"), (path, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    got = await client.get(f"/v1/accounts/{patron}", headers=h)
    assert got.status_code == 200 and got.json()["suspended"] is True
    assert (await client.get(f"/v1/accounts/{patron}/balances", headers=h)).status_code == 200

    lifted = await client.delete(f"/v1/accounts/{patron}/suspension", headers=op)
    assert lifted.status_code == 200 and lifted.json()["suspended"] is False
    assert lifted.json()["suspended_reason"] is None
    again = await client.post("/v1/deposits", json=attempts[0][1], headers=h)
    assert again.status_code == 202, again.text


async def test_suspension_is_announced_to_the_other_services(app, client, register, tokens) -> None:  # type: ignore[no-untyped-def]
    patron = (await register())["account"]["id"]
    op = tokens.operator_headers()
    await client.put(f"/v1/accounts/{patron}/suspension", json={"reason": "fraud"}, headers=op)
    await client.put(f"/v1/accounts/{patron}/suspension", json={"reason": "fraud"}, headers=op)  # no change
    await client.delete(f"/v1/accounts/{patron}/suspension", headers=op)
    events = await _account_events(app, patron)
    assert [e["suspended"] for e in events] == [True, False]


async def test_only_operators_suspend_and_the_reason_is_checked(client, register, tokens) -> None:  # type: ignore[no-untyped-def]
    patron = (await register())["account"]["id"]
    mine = await client.put(f"/v1/accounts/{patron}/suspension", json={"reason": "x"}, headers=tokens.headers(patron))
    assert mine.status_code == 403
    lift = await client.delete(f"/v1/accounts/{patron}/suspension", headers=tokens.headers(patron))
    assert lift.status_code == 403
    op = tokens.operator_headers()
    for body in ({}, {"reason": ""}, {"reason": "x" * 501}, {"reason": 5}, {"reason": "x", "extra": 1}):
        bad = await client.put(f"/v1/accounts/{patron}/suspension", json=body, headers=op)
        assert bad.status_code == 422, (body, bad.text)
    missing = await client.put("/v1/accounts/acct_nope/suspension", json={"reason": "x"}, headers=op)
    assert missing.status_code == 404
