"""Tips end to end: requested here, completed or rejected by the ledger's answer on Kafka."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from trickle_events.ledger import TransferCompleted, TransferRejected
from trickle_kit.money import Money
from trickle_kit.tables import OutboxRecord
from trickle_wallet.transfers.models import Transfer

from ..support.money import eur, poll_status, unique_key


def _eur(amount: int) -> Money:
    return Money(amount=amount, currency="EUR")


@pytest.fixture
async def pair(register, tokens):  # type: ignore[no-untyped-def]
    patron = (await register())["account"]["id"]
    creator = (await register())["account"]["id"]
    return patron, creator, tokens.headers(patron), tokens.headers(creator)


async def _transfers_from(app, account_id: str) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        stmt = select(func.count()).select_from(Transfer).where(Transfer.from_account_id == account_id)
        return int((await session.execute(stmt)).scalar_one())


async def test_a_tip_is_pending_until_the_ledger_completes_it(client, pair, tokens, live) -> None:  # type: ignore[no-untyped-def]
    patron, creator, ph, ch = pair
    r = await client.post(
        "/v1/transfers",
        json={"to_account_id": creator, "amount": eur(500), "note": "thanks!"},
        headers={**ph, "Idempotency-Key": unique_key()},
    )
    assert r.status_code == 202, r.text
    tr = r.json()
    assert tr["status"] == "pending" and tr["id"].startswith("tr_") and tr["commission"] is None
    events = await live.wallet_events(lambda evs: any(e.subject == tr["id"] for e in evs))
    [requested] = [e for e in events if e.subject == tr["id"]]
    assert requested.type == "wallet.transfer.requested"
    assert requested.data["amount"] == eur(500) and requested.data["note"] == "thanks!"
    assert requested.data["to_account_id"] == creator

    await live.ledger_says(
        TransferCompleted(
            transfer_id=tr["id"],
            entry_id="je_1",
            from_account_id=patron,
            to_account_id=creator,
            amount=_eur(500),
            commission=_eur(50),
            net=_eur(450),
        )
    )
    done = await poll_status(client, f"/v1/transfers/{tr['id']}", ph, "completed")
    assert (done["commission"], done["net"], done["ledger_entry_id"]) == (eur(50), eur(450), "je_1")
    # The recipient sees it too, a stranger does not.
    assert (await client.get(f"/v1/transfers/{tr['id']}", headers=ch)).json()["note"] == "thanks!"
    stranger = tokens.headers(await _new_account(client))
    assert (await client.get(f"/v1/transfers/{tr['id']}", headers=stranger)).status_code == 404
    # A late contradicting answer does not regress it.
    await live.ledger_says(
        TransferRejected(
            transfer_id=tr["id"], from_account_id=patron, to_account_id=creator, amount=_eur(500), reason="late"
        )
    )
    await _applied_after_a_marker(client, live, patron, creator, ph)
    assert (await client.get(f"/v1/transfers/{tr['id']}", headers=ph)).json()["status"] == "completed"


async def _new_account(client) -> str:  # type: ignore[no-untyped-def]
    r = await client.post("/v1/accounts", json={"display_name": "S", "email": f"s-{unique_key()}@example.org"})
    return str(r.json()["account"]["id"])


async def _applied_after_a_marker(client, live, patron: str, creator: str, ph) -> None:  # type: ignore[no-untyped-def]
    """One more tip and its rejection, keyed by the same patron (so on the same partition, after the events
    sent before): once it is applied, every earlier ledger event was too."""
    r = await client.post("/v1/transfers", json={"to_account_id": creator, "amount": eur(1)}, headers=ph)
    marker = r.json()["id"]
    await live.ledger_says(
        TransferRejected(transfer_id=marker, from_account_id=patron, to_account_id=creator, amount=_eur(1), reason="x")
    )
    await poll_status(client, f"/v1/transfers/{marker}", ph, "rejected")


async def test_a_tip_the_ledger_refuses_is_rejected_with_the_reason(client, pair, live) -> None:  # type: ignore[no-untyped-def]
    patron, creator, ph, _ = pair
    r = await client.post("/v1/transfers", json={"to_account_id": creator, "amount": eur(99_999)}, headers=ph)
    tr = r.json()
    await live.ledger_says(
        TransferRejected(
            transfer_id=tr["id"],
            from_account_id=patron,
            to_account_id=creator,
            amount=_eur(99_999),
            reason="insufficient_funds",
        )
    )
    done = await poll_status(client, f"/v1/transfers/{tr['id']}", ph, "rejected")
    assert done["rejection_reason"] == "insufficient_funds" and done["net"] is None


async def test_transfers_are_listed_sent_received_or_both(client, pair) -> None:  # type: ignore[no-untyped-def]
    patron, creator, ph, ch = pair
    sent = (await client.post("/v1/transfers", json={"to_account_id": creator, "amount": eur(100)}, headers=ph)).json()
    back = (await client.post("/v1/transfers", json={"to_account_id": patron, "amount": eur(200)}, headers=ch)).json()
    ids = lambda r: [t["id"] for t in r.json()["data"]]  # noqa: E731
    assert ids(await client.get("/v1/transfers?direction=sent", headers=ph)) == [sent["id"]]
    assert ids(await client.get("/v1/transfers?direction=received", headers=ph)) == [back["id"]]
    assert ids(await client.get("/v1/transfers", headers=ph)) == [sent["id"], back["id"]]
    page = (await client.get("/v1/transfers?limit=1", headers=ph)).json()
    assert page["has_more"] is True and page["next_starting_after"] == sent["id"]
    assert (await client.get("/v1/transfers?direction=sideways", headers=ph)).status_code == 422


BAD = [
    (lambda me, to: {"to_account_id": to, "amount": eur(0)}, "body.amount.amount"),
    (lambda me, to: {"to_account_id": to, "amount": eur(-1)}, "body.amount.amount"),
    (lambda me, to: {"to_account_id": to, "amount": eur(10**14)}, "body.amount.amount"),
    (lambda me, to: {"to_account_id": to, "amount": eur(100_001)}, "body.amount.amount"),
    (lambda me, to: {"to_account_id": to, "amount": {"amount": 100, "currency": "USD"}}, "body.amount.currency"),
    (lambda me, to: {"to_account_id": to, "amount": eur(100), "fee": 0}, "body.fee"),
    (lambda me, to: {"to_account_id": to, "amount": eur(100), "note": "x" * 281}, "body.note"),
    (lambda me, to: {"to_account_id": me, "amount": eur(100)}, "body.to_account_id"),
    (lambda me, to: {"to_account_id": "acct_" + "0" * 32, "amount": eur(100)}, "body.to_account_id"),
    (lambda me, to: {"to_account_id": "bob", "amount": eur(100)}, "body.to_account_id"),
]


@pytest.mark.parametrize(("make", "field"), BAD)
async def test_bad_tips_are_refused_naming_the_field_with_nothing_stored(app, client, pair, make, field) -> None:  # type: ignore[no-untyped-def]
    patron, creator, ph, _ = pair
    r = await client.post("/v1/transfers", json=make(patron, creator), headers=ph)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]]
    assert await _transfers_from(app, patron) == 0
    async with app.state.sessions() as session:
        stmt = (
            select(func.count())
            .select_from(OutboxRecord)
            .where(OutboxRecord.event_type == "wallet.transfer.requested", OutboxRecord.key == patron)
        )
        assert (await session.execute(stmt)).scalar_one() == 0


async def test_malformed_and_oversized_tips_are_refused(app, client, pair) -> None:  # type: ignore[no-untyped-def]
    patron, creator, ph, _ = pair
    headers = {**ph, "content-type": "application/json"}
    assert (await client.post("/v1/transfers", content=b"{nope", headers=headers)).status_code == 400
    big = b'{"to_account_id": "' + creator.encode() + b'", "note": "' + b"x" * 100_000 + b'"}'
    assert (await client.post("/v1/transfers", content=big, headers=headers)).status_code == 413
    assert await _transfers_from(app, patron) == 0


async def test_auth_matrix_of_transfers(client, pair, tokens) -> None:  # type: ignore[no-untyped-def]
    patron, creator, ph, _ = pair
    tr = (await client.post("/v1/transfers", json={"to_account_id": creator, "amount": eur(100)}, headers=ph)).json()
    body = {"to_account_id": creator, "amount": eur(100)}
    for method, path, json in [
        ("POST", "/v1/transfers", body),
        ("GET", f"/v1/transfers/{tr['id']}", None),
        ("GET", "/v1/transfers", None),
    ]:
        for headers, status in [
            ({}, 401),
            (tokens.expired_headers(patron), 401),
            (tokens.forged_headers(patron), 401),
            (tokens.headers(patron, ["accounts:read", "clicks:write"]), 403),
        ]:
            assert (await client.request(method, path, json=json, headers=headers)).status_code == status, path
    r = await client.post("/v1/transfers", json=body, headers=tokens.operator_headers())
    assert r.status_code == 403


async def test_idempotent_tips(app, client, pair) -> None:  # type: ignore[no-untyped-def]
    patron, creator, ph, _ = pair
    headers = {**ph, "Idempotency-Key": unique_key()}
    body = {"to_account_id": creator, "amount": eur(300)}
    first, again = [await client.post("/v1/transfers", json=body, headers=headers) for _ in range(2)]
    assert first.json()["id"] == again.json()["id"] and again.headers["idempotent-replayed"] == "true"
    r = await client.post("/v1/transfers", json={**body, "note": "different"}, headers=headers)
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    key2 = {**ph, "Idempotency-Key": unique_key()}
    rs = await asyncio.gather(*(client.post("/v1/transfers", json=body, headers=key2) for _ in range(5)))
    assert {r.status_code for r in rs} <= {202, 409}
    assert await _transfers_from(app, patron) == 2
