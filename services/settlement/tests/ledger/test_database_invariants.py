"""The database itself refuses what would break the books: tried with raw SQL, bypassing post_entry."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from trickle_settlement_testing.books import acct, fund


async def balance_of(s, account_id: str) -> int:  # type: ignore[no-untyped-def]
    found = (
        await s.execute(text("SELECT balance FROM ledger_balances WHERE account_id = :a"), {"a": account_id})
    ).scalar()
    return int(found or 0)


CLEARING = "provider_clearing:sandbox"
RAW_ENTRY = "INSERT INTO journal_entries (id, idempotency_key, kind, currency) VALUES (:id, :key, 'raw', 'EUR')"
RAW_POSTING = (
    "INSERT INTO postings (entry_id, account_id, currency, amount, balance_after) "
    "VALUES (:entry, :account, 'EUR', :amount, :after)"
)


async def test_an_unbalanced_entry_is_refused_at_commit(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 1000)
    entry = f"je_{uuid.uuid4().hex}"
    with pytest.raises(DBAPIError, match="does not balance"):
        async with sessions() as s, s.begin():
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
            await s.execute(
                text(RAW_POSTING), {"entry": entry, "account": f"patron_wallet:{patron}", "amount": 100, "after": 900}
            )
            clearing = await balance_of(s, CLEARING)
            await s.execute(
                text(RAW_POSTING), {"entry": entry, "account": CLEARING, "amount": -50, "after": clearing - 50}
            )
    async with sessions() as s:
        assert (
            await s.execute(text("SELECT count(*) FROM journal_entries WHERE id = :id"), {"id": entry})
        ).scalar() == 0


async def test_an_entry_with_a_single_posting_is_refused_at_commit(sessions) -> None:  # type: ignore[no-untyped-def]
    entry = f"je_{uuid.uuid4().hex}"
    with pytest.raises(DBAPIError, match="at least 2 are required"):
        async with sessions() as s, s.begin():
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})


async def test_the_balanced_entry_check_is_planned_once_per_session(sessions) -> None:  # type: ignore[no-untyped-def]
    """It runs at commit for each entry (5,000 per close batch); custom plans re-planned it on every
    call, reading the statistics of ``postings.entry_id`` each time."""
    async with sessions() as s:
        config = (
            await s.execute(text("SELECT proconfig FROM pg_proc WHERE proname = 'ledger_check_entry'"))
        ).scalar_one()
    assert config == ["plan_cache_mode=force_generic_plan"]


async def test_an_overdraft_of_a_patron_wallet_is_refused(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 100)
    entry = f"je_{uuid.uuid4().hex}"
    with pytest.raises(DBAPIError, match="ck_ledger_balances_non_negative"):
        async with sessions() as s, s.begin():
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
            # Debit the wallet (credit-normal) by 101: its balance would be -1.
            await s.execute(
                text(RAW_POSTING), {"entry": entry, "account": f"patron_wallet:{patron}", "amount": 101, "after": -1}
            )
    async with sessions() as s:
        balance = (
            await s.execute(
                text("SELECT balance FROM ledger_balances WHERE account_id = :a"), {"a": f"patron_wallet:{patron}"}
            )
        ).scalar()
    assert balance == 100


async def test_a_balance_cannot_be_written_directly(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 100)
    for statement in (
        "UPDATE ledger_balances SET balance = 1000000 WHERE account_id = :a",
        "DELETE FROM ledger_balances WHERE account_id = :a",
    ):
        with pytest.raises(DBAPIError, match="maintained by the postings trigger"):
            async with sessions() as s, s.begin():
                await s.execute(text(statement), {"a": f"patron_wallet:{patron}"})


async def test_a_balance_s_attributes_never_change_even_from_a_trigger(sessions) -> None:  # type: ignore[no-untyped-def]
    """Only triggers may update balances (the statement guard), and even they not an account's attributes."""
    patron = acct()
    await fund(sessions, patron, 100)
    rogue = """
        CREATE FUNCTION pg_temp.rogue() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE ledger_balances SET non_negative = false WHERE account_id = NEW.a;
            RETURN NULL;
        END $$
    """
    with pytest.raises(DBAPIError, match="attributes of a ledger balance never change"):
        async with sessions() as s, s.begin():
            await s.execute(text("CREATE TEMP TABLE poke (a text)"))
            await s.execute(text(rogue))
            await s.execute(
                text("CREATE TRIGGER rogue AFTER INSERT ON poke FOR EACH ROW EXECUTE FUNCTION pg_temp.rogue()")
            )
            await s.execute(text("INSERT INTO poke VALUES (:a)"), {"a": f"patron_wallet:{patron}"})


async def test_a_wrong_balance_after_is_refused(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 100)
    entry = f"je_{uuid.uuid4().hex}"
    with pytest.raises(DBAPIError, match="balance_after"):
        async with sessions() as s, s.begin():
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
            await s.execute(
                text(RAW_POSTING), {"entry": entry, "account": f"patron_wallet:{patron}", "amount": 10, "after": 7}
            )


async def test_a_raw_balanced_entry_moves_the_balances(sessions) -> None:  # type: ignore[no-untyped-def]
    """The triggers are the real bookkeeping: a correct raw entry is accepted and moves both balances."""
    patron = acct()
    await fund(sessions, patron, 100)
    entry = f"je_{uuid.uuid4().hex}"
    async with sessions() as s, s.begin():
        # A refund of 30 to the provider: Dr wallet 30, Cr clearing 30 (clearing is debit-normal).
        clearing = await balance_of(s, CLEARING)
        await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
        await s.execute(
            text(RAW_POSTING), {"entry": entry, "account": f"patron_wallet:{patron}", "amount": 30, "after": 70}
        )
        await s.execute(text(RAW_POSTING), {"entry": entry, "account": CLEARING, "amount": -30, "after": clearing - 30})
    async with sessions() as s:
        assert await balance_of(s, f"patron_wallet:{patron}") == 70


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE postings SET amount = amount + 1 WHERE entry_id = :e",
        "DELETE FROM postings WHERE entry_id = :e",
        "UPDATE journal_entries SET kind = 'fiddled' WHERE id = :e",
        "DELETE FROM journal_entries WHERE id = :e",
        "TRUNCATE postings CASCADE",
        "TRUNCATE journal_entries CASCADE",
        "UPDATE ledger_accounts SET kind = 'escrow' WHERE id = 'provider_clearing:sandbox'",
        "DELETE FROM ledger_accounts WHERE id = 'provider_clearing:sandbox'",
    ],
)
async def test_entries_and_postings_are_immutable(sessions, statement: str) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 100)
    async with sessions() as s:
        entry = (
            await s.execute(
                text("SELECT entry_id FROM postings WHERE account_id = :a"), {"a": f"patron_wallet:{patron}"}
            )
        ).scalar_one()
    with pytest.raises(DBAPIError, match="append-only"):
        async with sessions() as s, s.begin():
            await s.execute(text(statement), {"e": entry})
    async with sessions() as s:
        assert (await s.execute(text("SELECT count(*) FROM postings WHERE entry_id = :e"), {"e": entry})).scalar() == 2


async def test_postings_cannot_be_added_to_an_entry_committed_earlier(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 100)
    async with sessions() as s:
        entry = (
            await s.execute(
                text("SELECT entry_id FROM postings WHERE account_id = :a"), {"a": f"patron_wallet:{patron}"}
            )
        ).scalar_one()
    with pytest.raises(DBAPIError, match="transaction that created it"):
        async with sessions() as s, s.begin():
            await s.execute(
                text(RAW_POSTING), {"entry": entry, "account": f"patron_wallet:{patron}", "amount": -5, "after": 105}
            )


async def test_an_idempotency_key_is_unique(sessions) -> None:  # type: ignore[no-untyped-def]
    key = f"raw:{uuid.uuid4().hex}"
    with pytest.raises(DBAPIError, match="uq_journal_entries_idempotency_key"):
        async with sessions() as s, s.begin():
            await s.execute(text(RAW_ENTRY), {"id": f"je_{uuid.uuid4().hex}", "key": key})
            await s.execute(text(RAW_ENTRY), {"id": f"je_{uuid.uuid4().hex}", "key": key})


@pytest.mark.parametrize(
    "posting, message",
    [
        ({"entry": "je_missing", "account": CLEARING, "currency": "EUR"}, "entry je_missing, which does not exist"),
        ({"entry": None, "account": "patron_wallet:acct_nobody", "currency": "EUR"}, "no account for"),
        ({"entry": None, "account": CLEARING, "currency": "USD"}, "in USD, which the ledger has no account for"),
    ],
    ids=["unknown_entry", "unknown_account", "wrong_currency"],
)
async def test_a_posting_must_name_an_existing_entry_and_account_in_its_currency(
    sessions, posting: dict[str, str | None], message: str
) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    await fund(sessions, patron, 100)
    entry = f"je_{uuid.uuid4().hex}"
    with pytest.raises(DBAPIError, match=message) as refused:
        async with sessions() as s, s.begin():
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
            await s.execute(
                text(
                    "INSERT INTO postings (entry_id, account_id, currency, amount, balance_after) "
                    "VALUES (:entry, :account, :currency, 5, 0)"
                ),
                {**posting, "entry": posting["entry"] or entry},
            )
    assert refused.value.orig.sqlstate == "23503"  # type: ignore[union-attr]  # foreign_key_violation


@pytest.mark.parametrize("after, error", [(7, "balance_after"), (-10, "non_negative")])
async def test_copied_postings_are_checked_like_inserted_ones(sessions, after: int, error: str) -> None:  # type: ignore[no-untyped-def]
    """COPY into postings fires the same statement trigger: a wrong balance_after or an overdraft is refused."""
    patron = acct()
    await fund(sessions, patron, 100)
    entry = f"je_{uuid.uuid4().hex}"
    amount = 10 if error == "balance_after" else 110
    with pytest.raises(Exception, match=error):
        async with sessions() as s, s.begin():
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
            raw = (await (await s.connection()).get_raw_connection()).driver_connection
            await raw.copy_records_to_table(
                "postings",
                records=[
                    (entry, f"patron_wallet:{patron}", "EUR", amount, after),
                    (entry, CLEARING, "EUR", -amount, 0),
                ],
                columns=["entry_id", "account_id", "currency", "amount", "balance_after"],
            )
    async with sessions() as s:
        assert await balance_of(s, f"patron_wallet:{patron}") == 100


async def test_a_statement_naming_one_account_in_two_currencies_is_refused(sessions) -> None:  # type: ignore[no-untyped-def]
    """The trigger finds accounts through their balance rows (migration 0016): one id named in its own
    currency and in another within one statement is refused for the other, as a lone posting is."""
    patron = acct()
    await fund(sessions, patron, 100)
    entry = f"je_{uuid.uuid4().hex}"
    with pytest.raises(DBAPIError, match="account provider_clearing:sandbox in USD, which the ledger") as refused:
        async with sessions() as s, s.begin():
            clearing = await balance_of(s, CLEARING)
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
            await s.execute(
                text(
                    "INSERT INTO postings (entry_id, account_id, currency, amount, balance_after) "
                    "VALUES (:entry, :account, 'EUR', -5, :after), (:entry, :account, 'USD', 5, :after)"
                ),
                {"entry": entry, "account": CLEARING, "after": clearing - 5},
            )
    assert refused.value.orig.sqlstate == "23503"  # type: ignore[union-attr]  # foreign_key_violation
    async with sessions() as s:
        assert await balance_of(s, f"patron_wallet:{patron}") == 100


@pytest.mark.parametrize("wrong", [None, 0, 1, 2], ids=["all_right", "first_wrong", "middle_wrong", "last_wrong"])
async def test_each_running_balance_of_one_statement_is_checked(sessions, wrong: int | None) -> None:  # type: ignore[no-untyped-def]
    """Three postings on one wallet in one COPY: each one's balance_after is the balance after it, in id
    order; one off by a cent anywhere refuses the statement."""
    patron = acct()
    await fund(sessions, patron, 100)
    wallet = f"patron_wallet:{patron}"
    entry = f"je_{uuid.uuid4().hex}"
    afters = [90, 70, 40]
    if wrong is not None:
        afters[wrong] += 1

    async def post() -> None:
        async with sessions() as s, s.begin():
            clearing = await balance_of(s, CLEARING)
            await s.execute(text(RAW_ENTRY), {"id": entry, "key": f"raw:{entry}"})
            raw = (await (await s.connection()).get_raw_connection()).driver_connection
            await raw.copy_records_to_table(
                "postings",
                records=[
                    *((entry, wallet, "EUR", n, after) for n, after in zip([10, 20, 30], afters, strict=True)),
                    (entry, CLEARING, "EUR", -60, clearing - 60),
                ],
                columns=["entry_id", "account_id", "currency", "amount", "balance_after"],
            )

    if wrong is None:
        await post()
    else:
        with pytest.raises(Exception, match=f"says balance_after {afters[wrong]}, the ledger says {afters[wrong] - 1}"):
            await post()
    async with sessions() as s:
        assert await balance_of(s, wallet) == (40 if wrong is None else 100)
