"""A person's data: the export of everything the wallet holds, and deletion (refused while money is left)."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select, text

from trickle_events.ledger_accounts import LedgerAccountKind
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.tables import IdempotencyRecord, OutboxRecord
from trickle_wallet.balances.models import BalanceLine
from trickle_wallet.transfers.models import Transfer

from ..support.money import eur


async def _outbox(app, event_type: str, subject: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    async with app.state.sessions() as session:
        stmt = select(OutboxRecord.payload).where(
            OutboxRecord.event_type == event_type, OutboxRecord.subject == subject
        )
        return list((await session.execute(stmt)).scalars())


async def _give_balance(app, account_id: str, amount: int) -> None:  # type: ignore[no-untyped-def]
    """The ledger reported ``amount`` on the account's wallet (the read model, as ledger.entry.posted leaves it)."""
    async with app.state.sessions() as session, session.begin():
        session.add(
            BalanceLine(
                account_id=account_id,
                kind=LedgerAccountKind.PATRON_WALLET.value,
                currency="EUR",
                balance=amount,
                entry_id=f"je_test_{account_id}",
                sequence=None,
                posted_at=utcnow(),
            )
        )


async def test_the_holder_exports_everything_the_wallet_holds_without_secrets(
    client: httpx.AsyncClient, register, tokens, sandbox
) -> None:  # type: ignore[no-untyped-def]
    registered = await register(display_name="Grace")
    patron = registered["account"]["id"]
    other = (await register())["account"]["id"]
    h = tokens.headers(patron)
    dep = await client.post(
        "/v1/deposits", json={"method": "card", "amount": eur(1_000), "sandbox": "timeout"}, headers=h
    )
    tip = await client.post("/v1/transfers", json={"to_account_id": other, "amount": eur(100), "note": "hi"}, headers=h)
    await client.put(f"/v1/accounts/{patron}/budget", json={"amount": eur(500)}, headers=h)

    r = await client.get(f"/v1/accounts/{patron}/export", headers=h)
    assert r.status_code == 200, r.text
    export = r.json()
    assert export["account"]["display_name"] == "Grace" and export["account"]["email"] == registered["account"]["email"]
    assert [d["id"] for d in export["deposits"]] == [dep.json()["id"]]
    assert [t["id"] for t in export["transfers"]] == [tip.json()["id"]] and export["transfers"][0]["note"] == "hi"
    assert export["payouts"] == [] and export["balances"]["account_id"] == patron
    assert export["budget"]["account_id"] == patron
    assert [k["id"] for k in export["api_keys"]] == [registered["api_key"]["id"]]
    assert registered["api_key"]["secret"] not in r.text and "secret_hash" not in r.text
    assert {link["service"] for link in export["elsewhere"]} >= {"settlement", "click-ledger"}
    assert any(patron in link["endpoint"] for link in export["elsewhere"])

    assert (await client.get(f"/v1/accounts/{patron}/export", headers=tokens.headers(other))).status_code == 404
    assert (await client.get(f"/v1/accounts/{patron}/export", headers=tokens.operator_headers())).status_code == 200
    assert (await client.get(f"/v1/accounts/{patron}/export")).status_code == 401


async def test_deletion_erases_personal_data_revokes_keys_and_tells_the_others_once(
    app, client: httpx.AsyncClient, register, tokens, issue_token
) -> None:  # type: ignore[no-untyped-def]
    registered = await register(display_name="Grace Hopper")
    patron, email = registered["account"]["id"], registered["account"]["email"]
    creator = (await register())["account"]["id"]
    h = tokens.headers(patron)
    tip = await client.post(
        "/v1/transfers", json={"to_account_id": creator, "amount": eur(100), "note": "for Grace"}, headers=h
    )
    async with app.state.sessions() as session, session.begin():  # the ledger rejected it: nothing in flight
        (await session.get(Transfer, tip.json()["id"])).status = "rejected"  # type: ignore[union-attr]

    assert (await client.delete(f"/v1/accounts/{patron}", headers=tokens.headers(creator))).status_code == 404
    gone = await client.delete(f"/v1/accounts/{patron}", headers=h)
    assert gone.status_code == 204, gone.text
    again = await client.delete(f"/v1/accounts/{patron}", headers=h)
    assert again.status_code == 204

    account = (await client.get(f"/v1/accounts/{patron}", headers=h)).json()
    assert account["display_name"] == "Deleted account" and email not in account["email"]
    assert account["deleted_at"] is not None and account["suspended"] is True and account["giving_public"] is False
    export = (await client.get(f"/v1/accounts/{patron}/export", headers=h)).text
    assert "Grace" not in export and email not in export and "for Grace" not in export
    token = await issue_token(registered["api_key"]["id"], registered["api_key"]["secret"])
    assert token.status_code in (400, 401)
    assert (await client.post(f"/v1/accounts/{patron}/api-keys", json={"name": "back"}, headers=h)).status_code == 409
    refused = await client.patch(f"/v1/accounts/{patron}", json={"display_name": "Back"}, headers=h)
    assert (refused.status_code, refused.json()["code"]) == (409, "account_deleted")
    tip_to = await client.post(
        "/v1/transfers", json={"to_account_id": patron, "amount": eur(100)}, headers=tokens.headers(creator)
    )
    assert (tip_to.status_code, tip_to.json()["code"]) == (422, "unknown_recipient")

    async with app.state.sessions() as session:  # the outbox's earlier events named the person
        staged = (await session.execute(select(OutboxRecord.payload))).scalars().all()
    assert not [p for p in staged if patron in str(p) and "Grace" in str(p)]
    deleted = await _outbox(app, "wallet.account.deleted", patron)
    assert len(deleted) == 1 and deleted[0]["deleted"] is True and deleted[0]["display_name"] == "Deleted account"
    async with app.state.sessions() as session:  # the registration's stored response held the email
        stmt = (
            select(func.count())
            .select_from(IdempotencyRecord)
            .where(func.position(func.convert_to(email, "UTF8").op("IN")(IdempotencyRecord.response_body)) > 0)
        )
        assert (await session.execute(stmt)).scalar_one() == 0
    # The address is free again: the person may come back as a new account.
    assert (await client.post("/v1/accounts", json={"display_name": "G", "email": email})).status_code == 201


async def test_deletion_waits_until_no_money_is_left_or_on_its_way(
    app, client: httpx.AsyncClient, register, tokens, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rich = (await register())["account"]["id"]
    await _give_balance(app, rich, 250)
    r = await client.delete(f"/v1/accounts/{rich}", headers=tokens.headers(rich))
    assert (r.status_code, r.json()["code"]) == (409, "balance_not_zero")
    assert "250" in r.json()["detail"]

    waiting = (await register())["account"]["id"]
    h = tokens.headers(waiting)
    await client.post("/v1/deposits", json={"method": "card", "amount": eur(1_000), "sandbox": "timeout"}, headers=h)
    r = await client.delete(f"/v1/accounts/{waiting}", headers=h)
    assert (r.status_code, r.json()["code"]) == (409, "money_in_flight")
    for account_id in (rich, waiting):
        got = (await client.get(f"/v1/accounts/{account_id}", headers=tokens.headers(account_id))).json()
        assert got["deleted_at"] is None and got["display_name"] == "Ada"
        assert await _outbox(app, "wallet.account.deleted", account_id) == []


async def test_deletion_reads_only_the_accounts_own_staged_events(
    app, client: httpx.AsyncClient, register, tokens
) -> None:  # type: ignore[no-untyped-def]
    """Erasing names and notes from the outbox parses the deleted account's own payloads only: another
    account's staged events, whatever their text, neither slow it down nor stop it."""
    patron = (await register(display_name="Grace Hopper"))["account"]["id"]
    other = (await register(display_name="Ada"))["account"]["id"]
    garbage = [new_id("evt"), new_id("evt")]
    async with app.state.sessions() as session, session.begin():
        for event_id, event_type in zip(garbage, ("wallet.account.updated", "wallet.transfer.requested"), strict=True):
            await session.execute(
                text(
                    "INSERT INTO outbox (event_id, topic, key, event_type, source, subject, schema_version, payload) "
                    "VALUES (:e, 'wallet', :a, :t, 'wallet', :a, 1, '{\"account_id\": not json')"
                ),
                {"e": event_id, "a": other, "t": event_type},
            )
    try:
        gone = await client.delete(f"/v1/accounts/{patron}", headers=tokens.headers(patron))
        assert gone.status_code == 204, gone.text
        assert [p["display_name"] for p in await _outbox(app, "wallet.account.created", patron)] == ["Deleted account"]
        assert [p["display_name"] for p in await _outbox(app, "wallet.account.created", other)] == ["Ada"]
    finally:  # the database is shared by the session's tests: no unreadable payload is left to them
        async with app.state.sessions() as session, session.begin():
            await session.execute(text("DELETE FROM outbox WHERE event_id = ANY(:ids)"), {"ids": garbage})
