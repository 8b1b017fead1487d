"""The balance read model: the ledger's balance_after values, newest entry wins, per account and kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trickle_events.ledger import EntryPosted, PostingLine
from trickle_kit.ids import new_id
from trickle_wallet.balances.service import apply_entry

from ..support.money import eur

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def entry(
    postings: list[tuple[str, str | None, int, int]],
    *,
    sequence: int | None,
    at: datetime = T0,
    entry_id: str | None = None,
) -> EntryPosted:
    """postings: (kind, owner, amount, balance_after)."""
    lines = [
        PostingLine(
            ledger_account=f"{kind}:{owner}",
            kind=kind,
            owner_id=owner,
            amount=amount,
            currency="EUR",
            balance_after=after,
        )
        for kind, owner, amount, after in postings
    ]
    return EntryPosted(
        entry_id=entry_id or new_id("je"),
        idempotency_key=new_id("evt"),
        kind="test",
        currency="EUR",
        posted_at=at,
        postings=lines,
        account_ids_concerned=sorted({o for _, o, _, _ in postings if o}),
        sequence=sequence,
    )


@pytest.fixture
async def account(register, tokens):  # type: ignore[no-untyped-def]
    account_id = (await register())["account"]["id"]
    return account_id, tokens.headers(account_id)


async def _apply(app, *entries: EntryPosted) -> None:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session, session.begin():
        for e in entries:
            await apply_entry(session, e)


async def test_an_account_without_entries_has_zero_balances(client, account) -> None:  # type: ignore[no-untyped-def]
    account_id, headers = account
    body = (await client.get(f"/v1/accounts/{account_id}/balances", headers=headers)).json()
    assert (body["wallet"], body["earnings"], body["reserved"], body["as_of_entry_id"]) == (
        eur(0),
        eur(0),
        eur(0),
        None,
    )


async def test_balances_follow_the_ledger_and_an_older_entry_arriving_late_is_ignored(app, client, account) -> None:  # type: ignore[no-untyped-def]
    a, headers = account
    deposit = entry([("provider_clearing", None, 9_940, 9_940), ("patron_wallet", a, -9_940, 9_940)], sequence=10)
    tip = entry([("patron_wallet", a, 500, 9_440), ("creator_earnings", "acct_x", -450, 450)], sequence=12)
    earned = entry([("creator_earnings", a, -3_000, 3_000)], sequence=11)  # touches another line: still applies
    reserve = entry([("creator_earnings", a, 1_000, 2_000), ("payouts_in_transit", a, -1_000, 1_000)], sequence=14)
    stale = entry([("patron_wallet", a, -100, 10_040)], sequence=9)  # older than the tip: ignored
    await _apply(app, deposit, tip, earned, reserve, stale)
    body = (await client.get(f"/v1/accounts/{a}/balances", headers=headers)).json()
    assert (body["wallet"], body["earnings"], body["reserved"]) == (eur(9_440), eur(2_000), eur(1_000))
    assert body["as_of_entry_id"] == reserve.entry_id


async def test_without_a_sequence_entries_are_ordered_by_posting_time(app, client, account) -> None:  # type: ignore[no-untyped-def]
    a, headers = account
    newer = entry([("patron_wallet", a, -700, 700)], sequence=None, at=T0 + timedelta(seconds=5))
    older = entry([("patron_wallet", a, -200, 200)], sequence=None, at=T0)
    await _apply(app, newer, older)
    body = (await client.get(f"/v1/accounts/{a}/balances", headers=headers)).json()
    assert body["wallet"] == eur(700) and body["as_of_entry_id"] == newer.entry_id


async def test_entries_on_kafka_update_the_read_model(client, account, live) -> None:  # type: ignore[no-untyped-def]
    from trickle_kit.testing import wait_until

    a, headers = account
    first = entry([("patron_wallet", a, -5_000, 5_000)], sequence=100)
    second = entry([("patron_wallet", a, 1_000, 4_000), ("payouts_in_transit", a, -250, 250)], sequence=101)
    await live.ledger_says(second, first)  # out of order on purpose

    async def settled() -> bool:
        body = (await client.get(f"/v1/accounts/{a}/balances", headers=headers)).json()
        return bool(body["as_of_entry_id"] == second.entry_id)

    await wait_until(settled)
    # `first` came after `second` on the same key (partition), so it has been applied (and ignored) too.
    marker = entry([("creator_earnings", a, -1, 1)], sequence=102)
    await live.ledger_says(marker)

    async def marker_seen() -> bool:
        body = (await client.get(f"/v1/accounts/{a}/balances", headers=headers)).json()
        return bool(body["earnings"] == eur(1))

    await wait_until(marker_seen)
    body = (await client.get(f"/v1/accounts/{a}/balances", headers=headers)).json()
    assert (body["wallet"], body["reserved"]) == (eur(4_000), eur(250))


async def test_balances_of_others_are_hidden_but_operators_see_them(client, account, register, tokens) -> None:  # type: ignore[no-untyped-def]
    a, headers = account
    other = (await register())["account"]["id"]
    assert (await client.get(f"/v1/accounts/{other}/balances", headers=headers)).status_code == 404
    assert (await client.get(f"/v1/accounts/{a}/balances", headers=tokens.operator_headers())).status_code == 200
    assert (await client.get(f"/v1/accounts/{a}/balances")).status_code == 401
    assert (await client.get(f"/v1/accounts/{a}/balances", headers=tokens.expired_headers(a))).status_code == 401
    assert (await client.get(f"/v1/accounts/{a}/balances", headers=tokens.forged_headers(a))).status_code == 401
    assert (
        await client.get(f"/v1/accounts/{a}/balances", headers=tokens.headers(a, ["clicks:read"]))
    ).status_code == 403
    missing = "acct_" + "0" * 32
    assert (await client.get(f"/v1/accounts/{missing}/balances", headers=tokens.operator_headers())).status_code == 404
