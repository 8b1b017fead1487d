"""Accounts a bulk writer knows are committed as named are not looked up again; what it is told it may
remember is what was found or created as named."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from trickle_settlement.ledger import chart
from trickle_settlement.ledger.errors import AccountMismatch
from trickle_settlement.ledger.posting import KnownAccounts, open_accounts


async def _exists(sessions, account_id: str) -> bool:  # type: ignore[no-untyped-def]
    async with sessions() as s:
        found = await s.execute(text("SELECT 1 FROM ledger_accounts WHERE id = :id"), {"id": account_id})
        return found.first() is not None


async def test_found_and_created_accounts_are_returned_and_known_ones_are_skipped(sessions) -> None:  # type: ignore[no-untyped-def]
    old = chart.creator_earnings(f"acct_{uuid.uuid4().hex}", "EUR")
    new = chart.patron_wallet(f"acct_{uuid.uuid4().hex}", "EUR")
    async with sessions() as s, s.begin():
        assert await open_accounts(s, [old]) == [old]  # created
    known: KnownAccounts = {}
    async with sessions() as s, s.begin():
        confirmed = await open_accounts(s, [old, new, old], known)
    assert sorted(r.id for r in confirmed) == sorted([old.id, new.id])  # one found, one created
    assert await _exists(sessions, new.id)

    # Known accounts are taken as they are: one the database lacks is not created again.
    ghost = chart.patron_wallet(f"acct_{uuid.uuid4().hex}", "EUR")
    known = {ghost.id: ghost}
    async with sessions() as s, s.begin():
        assert await open_accounts(s, [ghost], known) == []
    assert not await _exists(sessions, ghost.id)


async def test_a_known_account_named_with_another_kind_or_currency_is_refused(sessions) -> None:  # type: ignore[no-untyped-def]
    owner = f"acct_{uuid.uuid4().hex}"
    wallet = chart.patron_wallet(owner, "EUR")
    known: KnownAccounts = {wallet.id: wallet}
    async with sessions() as s, s.begin():
        with pytest.raises(AccountMismatch):
            await open_accounts(s, [chart.patron_wallet(owner, "USD")], known)


@pytest.mark.parametrize("first", ["EUR", "USD"])
async def test_one_name_in_two_currencies_in_one_call_is_refused_in_either_order(sessions, first: str) -> None:  # type: ignore[no-untyped-def]
    owner = f"acct_{uuid.uuid4().hex}"
    async with sessions() as s, s.begin():
        await open_accounts(s, [chart.patron_wallet(owner, "EUR")])
    second = "USD" if first == "EUR" else "EUR"
    async with sessions() as s, s.begin():
        with pytest.raises(AccountMismatch):
            await open_accounts(s, [chart.patron_wallet(owner, first), chart.patron_wallet(owner, second)], {})
