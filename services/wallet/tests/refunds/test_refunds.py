"""Refunds of a wallet's unspent balance, in the wallet: requested (rules checked) → reserved by the ledger →
paid back (or failed) by the sandbox provider; a lost callback finished by the reconciler; who may ask and read."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from trickle_events.ledger import RefundRejected, RefundReserved
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_kit.tables import OutboxRecord
from trickle_wallet.balances.models import BalanceLine
from trickle_wallet.refunds import service as refunds
from trickle_wallet.refunds.models import Refund

from ..support.money import eur, give_wallet_balance, poll_status, unique_key

RECONCILE = "/v1/providers/reconcile"


@pytest.fixture
async def patron(app, register, tokens):  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    await give_wallet_balance(app, account_id, 2_500)
    return account_id, tokens.headers(account_id)


async def _staged(app, subject: str) -> list[str]:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        stmt = select(OutboxRecord.event_type).where(OutboxRecord.subject == subject).order_by(OutboxRecord.id)
        return list((await session.execute(stmt)).scalars())


async def _refunds_of(app, account_id: str) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session:
        stmt = select(func.count()).select_from(Refund).where(Refund.account_id == account_id)
        return int((await session.execute(stmt)).scalar_one())


async def _ask(client, account_id: str, headers: dict[str, str], **body: Any) -> Any:  # type: ignore[no-untyped-def]
    return await client.post(
        "/v1/refunds", json={"account_id": account_id, **body}, headers={**headers, "Idempotency-Key": unique_key()}
    )


async def test_the_whole_wallet_is_refunded_by_default_reserved_by_the_ledger_and_paid_back(
    app, client, patron, live
) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    r = await _ask(client, account_id, headers)
    assert r.status_code == 202, r.text
    ref = r.json()
    assert ref["id"].startswith("ref_") and ref["status"] == "requested" and ref["provider"] == "sandbox"
    assert ref["amount"] == eur(2_500) and ref["account_id"] == account_id
    assert r.headers["location"] == f"/v1/refunds/{ref['id']}"
    await live.wallet_events(
        lambda evs: any(e.type == "wallet.refund.requested" and e.subject == ref["id"] for e in evs)
    )
    await live.ledger_says(
        RefundReserved(
            refund_id=ref["id"], account_id=account_id, amount=Money(amount=2_500, currency="EUR"), entry_id="je_r"
        )
    )
    done = await poll_status(client, f"/v1/refunds/{ref['id']}", headers, "paid")
    assert done["completed_at"] is not None
    events = await live.wallet_events(
        lambda evs: any(e.type == "wallet.refund.paid" and e.subject == ref["id"] for e in evs)
    )
    [paid] = [e for e in events if e.type == "wallet.refund.paid" and e.subject == ref["id"]]
    assert paid.data == {"refund_id": ref["id"], "account_id": account_id, "amount": eur(2_500), "provider": "sandbox"}
    listed = (await client.get("/v1/refunds", headers=headers)).json()
    assert [x["id"] for x in listed["data"]] == [ref["id"]] and listed["has_more"] is False


async def test_a_refund_the_provider_cannot_make_fails_so_the_ledger_releases_it(app, client, patron, live) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    ref = (await _ask(client, account_id, headers, amount=eur(1_000), sandbox="fail")).json()
    await live.ledger_says(
        RefundReserved(
            refund_id=ref["id"], account_id=account_id, amount=Money(amount=1_000, currency="EUR"), entry_id="je_r"
        )
    )
    done = await poll_status(client, f"/v1/refunds/{ref['id']}", headers, "failed")
    assert done["reason"] == "sandbox_declined"
    await live.wallet_events(lambda evs: any(e.type == "wallet.refund.failed" and e.subject == ref["id"] for e in evs))
    assert await _staged(app, ref["id"]) == ["wallet.refund.requested", "wallet.refund.failed"]


async def test_a_refund_the_ledger_refuses_is_rejected(client, patron, live) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    ref = (await _ask(client, account_id, headers, amount=eur(2_000))).json()
    await live.ledger_says(
        RefundRejected(
            refund_id=ref["id"],
            account_id=account_id,
            amount=Money(amount=2_000, currency="EUR"),
            reason="insufficient_funds",
        )
    )
    done = await poll_status(client, f"/v1/refunds/{ref['id']}", headers, "rejected")
    assert done["reason"] == "insufficient_funds"


async def test_a_replayed_request_refunds_once(app, client, patron) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    keyed = {**headers, "Idempotency-Key": unique_key()}
    body = {"account_id": account_id, "amount": eur(700)}
    first = await client.post("/v1/refunds", json=body, headers=keyed)
    again = await client.post("/v1/refunds", json=body, headers=keyed)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    other_body = await client.post("/v1/refunds", json={**body, "amount": eur(800)}, headers=keyed)
    assert other_body.status_code == 422, other_body.text
    assert await _refunds_of(app, account_id) == 1
    assert await _staged(app, first.json()["id"]) == ["wallet.refund.requested"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"amount": eur(2_501)}, "body.amount.amount", "amount_above_balance"),
        ({"amount": eur(0)}, "body.amount.amount", "validation_error"),
        ({"amount": eur(-5)}, "body.amount.amount", "validation_error"),
        ({"amount": {"amount": 500, "currency": "GBP"}}, "body.amount.currency", "currency_mismatch"),
        ({"sandbox": "timeout"}, "body.sandbox", "validation_error"),
        ({"iban": "x"}, "body.iban", "validation_error"),
    ],
)
async def test_bad_refund_requests_are_refused_naming_the_field(app, client, patron, body, field, code) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    r = await _ask(client, account_id, headers, **body)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == code
    assert field in [e["field"] for e in r.json()["errors"]]
    assert await _refunds_of(app, account_id) == 0


async def test_an_empty_wallet_or_one_already_asked_back_has_nothing_to_refund(app, client, register, tokens) -> None:  # type: ignore[no-untyped-def]
    empty = (await register())["account"]["id"]
    r = await _ask(client, empty, tokens.headers(empty))
    assert (r.status_code, r.json()["code"]) == (409, "nothing_to_refund")

    account_id = (await register())["account"]["id"]
    await give_wallet_balance(app, account_id, 900)
    headers = tokens.headers(account_id)
    assert (await _ask(client, account_id, headers, amount=eur(600))).status_code == 202
    # Not reserved yet, so not out of the balance the ledger reported: still counted as asked for.
    r = await _ask(client, account_id, headers, amount=eur(301))
    assert (r.status_code, r.json()["code"]) == (422, "amount_above_balance")
    assert "300" in r.json()["detail"]
    rest = await _ask(client, account_id, headers)
    assert rest.status_code == 202 and rest.json()["amount"] == eur(300)
    r = await _ask(client, account_id, headers)
    assert (r.status_code, r.json()["code"]) == (409, "nothing_to_refund")


async def test_a_stranger_can_neither_ask_for_nor_read_someone_elses_refund(
    app, client, patron, register, tokens
) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    stranger = (await register())["account"]["id"]
    await give_wallet_balance(app, stranger, 100)
    theirs = tokens.headers(stranger)
    r = await _ask(client, account_id, theirs)
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert await _refunds_of(app, account_id) == 0
    ref = (await _ask(client, account_id, headers, amount=eur(100))).json()
    assert (await client.get(f"/v1/refunds/{ref['id']}", headers=theirs)).status_code == 404
    assert (await client.get("/v1/refunds", headers=theirs)).json()["data"] == []
    read_only = tokens.headers(account_id, ["wallet:read"])
    assert (await _ask(client, account_id, read_only)).status_code == 403
    assert (await client.get(f"/v1/refunds/{ref['id']}", headers=read_only)).status_code == 200
    assert (await client.post("/v1/refunds", json={"account_id": account_id})).status_code == 401


async def test_an_operator_refunds_an_account_and_reads_every_refund(app, client, patron, tokens) -> None:  # type: ignore[no-untyped-def]
    account_id, _ = patron
    operator = tokens.operator_headers()
    r = await _ask(client, account_id, operator, amount=eur(1_500))
    assert r.status_code == 202, r.text
    assert r.json()["account_id"] == account_id
    assert (await client.get(f"/v1/refunds/{r.json()['id']}", headers=operator)).status_code == 200
    listed = (await client.get("/v1/refunds?status=requested&limit=100", headers=operator)).json()
    assert r.json()["id"] in [x["id"] for x in listed["data"]]
    assert (await _ask(client, "acct_nobody", operator)).status_code == 404


async def test_a_suspended_account_still_gets_its_money_back(app, client, patron, tokens) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    operator = tokens.operator_headers()
    r = await client.put(f"/v1/accounts/{account_id}/suspension", json={"reason": "checks"}, headers=operator)
    assert r.status_code == 200, r.text
    assert (await client.post("/v1/payouts", json={"amount": eur(1_000)}, headers=headers)).status_code == 409
    r = await _ask(client, account_id, headers)
    assert r.status_code == 202, r.text
    assert r.json()["amount"] == eur(2_500)


async def test_a_lost_refund_callback_is_finished_by_the_reconciler_once(app, client, patron, sandbox, tokens) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    ref = (await _ask(client, account_id, headers, amount=eur(2_000), sandbox="lose_callback")).json()
    async with app.state.sessions() as session, session.begin():  # what the ledger consumer does
        await refunds.on_refund_reserved(
            session,
            RefundReserved(
                refund_id=ref["id"], account_id=account_id, amount=Money(amount=2_000, currency="EUR"), entry_id="je"
            ),
        )
    # What the worker's dispatcher does (the module's running workers may have handed it over already).
    await refunds.FLOW.dispatch_reserved(app.state.sessions, sandbox)
    await poll_status(client, f"/v1/refunds/{ref['id']}", headers, "processing")

    operator = tokens.operator_headers()
    report = (await client.post(RECONCILE, headers=operator)).json()
    assert [o for o in report["orders"] if o["reference"] == ref["id"]] == []  # not overdue yet
    async with app.state.sessions() as session, session.begin():
        await session.execute(
            update(Refund).where(Refund.id == ref["id"]).values(updated_at=utcnow() - timedelta(hours=1))
        )
    report = (await client.post(RECONCILE, headers=operator)).json()
    assert [o for o in report["orders"] if o["reference"] == ref["id"]] == [
        {"object": "refund", "reference": ref["id"], "provider_status": "succeeded", "outcome": "applied"}
    ]
    done = (await client.get(f"/v1/refunds/{ref['id']}", headers=headers)).json()
    assert done["status"] == "paid" and done["completed_at"] is not None
    report = (await client.post(RECONCILE, headers=operator)).json()
    assert [o for o in report["orders"] if o["reference"] == ref["id"]] == []
    assert await _staged(app, ref["id"]) == ["wallet.refund.requested", "wallet.refund.paid"]


async def test_deletion_tells_the_holder_how_to_empty_the_account_and_waits_for_a_refund_in_flight(
    app, client, patron
) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    r = await client.delete(f"/v1/accounts/{account_id}", headers=headers)
    assert (r.status_code, r.json()["code"]) == (409, "balance_not_zero")
    assert "POST /v1/refunds" in r.json()["detail"] and "POST /v1/payouts" in r.json()["detail"]
    ref = (await _ask(client, account_id, headers)).json()
    # The ledger reserved it: the wallet is empty, the money is on its way back.
    async with app.state.sessions() as session, session.begin():
        await refunds.on_refund_reserved(
            session,
            RefundReserved(
                refund_id=ref["id"], account_id=account_id, amount=Money(amount=2_500, currency="EUR"), entry_id="je"
            ),
        )
    async with app.state.sessions() as session, session.begin():
        await session.execute(update(BalanceLine).where(BalanceLine.account_id == account_id).values(balance=0))
    r = await client.delete(f"/v1/accounts/{account_id}", headers=headers)
    assert (r.status_code, r.json()["code"]) == (409, "money_in_flight")
    assert "1 refunds in progress" in r.json()["detail"]


async def test_the_export_lists_the_accounts_refunds(client, patron) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    ref = (await _ask(client, account_id, headers, amount=eur(300))).json()
    export = (await client.get(f"/v1/accounts/{account_id}/export", headers=headers)).json()
    assert [(r["id"], r["amount"], r["status"]) for r in export["refunds"]] == [(ref["id"], eur(300), "requested")]


async def test_two_refunds_of_the_whole_wallet_asked_at_once_refund_it_once(app, client, patron) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = patron
    answers = await asyncio.gather(*(_ask(client, account_id, headers) for _ in range(2)))
    assert sorted(r.status_code for r in answers) == [202, 409], [r.text for r in answers]
    assert await _refunds_of(app, account_id) == 1
