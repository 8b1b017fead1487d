"""post_entry: balanced entries, idempotency by key, balances after, events staged, overdrafts refused."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select, text
from trickle_settlement_testing.books import acct, balance

from trickle_kit.tables import OutboxRecord
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.errors import AccountMismatch, InsufficientFunds, InvalidEntry
from trickle_settlement.ledger.models import JournalEntry
from trickle_settlement.ledger.posting import Leg, NewEntry, post_entries, post_entry


def deposit(patron: str, amount: int, key: str | None = None) -> NewEntry:
    return NewEntry(
        idempotency_key=key or f"test-deposit:{uuid.uuid4().hex}",
        kind="deposit",
        currency="EUR",
        legs=[
            Leg(chart.provider_clearing("sandbox", "EUR"), amount),
            Leg(chart.patron_wallet(patron, "EUR"), -amount),
        ],
    )


def tip(sender: str, recipient: str, amount: int, commission: int = 0) -> NewEntry:
    legs = [
        Leg(chart.patron_wallet(sender, "EUR"), amount),
        Leg(chart.creator_earnings(recipient, "EUR"), -(amount - commission)),
    ]
    if commission:
        legs.append(Leg(chart.platform_commission("EUR"), -commission))
    return NewEntry(idempotency_key=f"test-tip:{uuid.uuid4().hex}", kind="transfer", currency="EUR", legs=legs)


async def test_a_posted_entry_carries_the_balances_after_and_stages_its_event(sessions) -> None:  # type: ignore[no-untyped-def]
    patron, creator = acct(), acct()
    async with sessions() as s, s.begin():
        await post_entry(s, deposit(patron, 1000))
        posted = await post_entry(s, tip(patron, creator, 300, commission=30))
    assert posted.created
    assert posted.line(f"patron_wallet:{patron}").balance_after == 700
    assert posted.line(f"creator_earnings:{creator}").balance_after == 270
    assert posted.line(f"creator_earnings:{creator}").amount == -270
    assert await balance(sessions, f"patron_wallet:{patron}") == 700
    async with sessions() as s:
        event = (
            await s.execute(
                select(OutboxRecord).where(
                    OutboxRecord.event_type == "ledger.entry.posted", OutboxRecord.subject == posted.id
                )
            )
        ).scalar_one()
    assert event.payload["account_ids_concerned"] == sorted([patron, creator])
    assert event.payload["sequence"] == posted.seq
    assert sum(p["amount"] for p in event.payload["postings"]) == 0
    assert {p["ledger_account"]: p["balance_after"] for p in event.payload["postings"]}[
        f"creator_earnings:{creator}"
    ] == 270


async def test_the_same_idempotency_key_returns_the_first_entry_without_a_second_effect(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    key = f"test-deposit:{uuid.uuid4().hex}"
    async with sessions() as s, s.begin():
        first = await post_entry(s, deposit(patron, 500, key))
    async with sessions() as s, s.begin():
        again = await post_entry(s, deposit(patron, 500, key))
    assert not again.created and again.id == first.id
    assert [(line.account_id, line.amount) for line in again.lines] == [
        (line.account_id, line.amount) for line in first.lines
    ]
    assert await balance(sessions, f"patron_wallet:{patron}") == 500
    async with sessions() as s:
        assert (
            await s.execute(select(func.count()).select_from(JournalEntry).where(JournalEntry.idempotency_key == key))
        ).scalar() == 1


async def test_concurrent_posts_of_one_key_make_one_entry(engine, sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    key = f"test-deposit:{uuid.uuid4().hex}"

    async def attempt() -> str:
        async with sessions() as s, s.begin():
            return (await post_entry(s, deposit(patron, 100, key))).id

    ids = await asyncio.gather(*(attempt() for _ in range(8)))
    assert len(set(ids)) == 1
    assert await balance(sessions, f"patron_wallet:{patron}") == 100


async def test_an_overdraft_raises_before_anything_is_written(sessions) -> None:  # type: ignore[no-untyped-def]
    patron, creator = acct(), acct()
    async with sessions() as s, s.begin():
        await post_entry(s, deposit(patron, 100))
    async with sessions() as s, s.begin():
        with pytest.raises(InsufficientFunds) as refused:
            await post_entry(s, tip(patron, creator, 101))
        assert refused.value.balance == 100 and refused.value.required == 101
        # The transaction is still usable: a smaller tip in the same transaction goes through.
        await post_entry(s, tip(patron, creator, 100))
    assert await balance(sessions, f"patron_wallet:{patron}") == 0
    assert await balance(sessions, f"creator_earnings:{creator}") == 100


@pytest.mark.parametrize(
    "legs",
    [
        [],
        [Leg(chart.platform_commission("EUR"), 5)],
        [Leg(chart.platform_commission("EUR"), 5), Leg(chart.provider_clearing("sandbox", "EUR"), -4)],
        [Leg(chart.platform_commission("EUR"), 5), Leg(chart.platform_commission("EUR"), -5)],
        [Leg(chart.platform_commission("EUR"), 5), Leg(chart.provider_clearing("sandbox", "USD"), -5)],
    ],
    ids=["no_legs", "one_leg", "unbalanced", "nets_to_nothing", "mixed_currency"],
)
async def test_malformed_entries_are_refused(sessions, legs: list[Leg]) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as s, s.begin():
        with pytest.raises(InvalidEntry):
            await post_entry(
                s, NewEntry(idempotency_key=f"bad:{uuid.uuid4().hex}", kind="x", currency="EUR", legs=legs)
            )


async def test_an_account_name_cannot_change_kind(sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    async with sessions() as s, s.begin():
        await post_entry(s, deposit(patron, 100))
    impostor = chart.AccountRef(id=f"patron_wallet:{patron}", kind="escrow", owner_id=patron, currency="EUR")
    async with sessions() as s, s.begin():
        with pytest.raises(AccountMismatch):
            await post_entry(
                s,
                NewEntry(
                    idempotency_key=f"bad:{uuid.uuid4().hex}",
                    kind="x",
                    currency="EUR",
                    legs=[Leg(impostor, 10), Leg(chart.provider_clearing("sandbox", "EUR"), -10)],
                ),
            )


async def test_two_hundred_concurrent_spends_from_a_wallet_covering_fifty(engine, sessions) -> None:  # type: ignore[no-untyped-def]
    """200 posts of 1.00 race for a wallet holding 50.00: exactly 50 land, the wallet ends at 0, never below."""
    patron, creator = acct(), acct()
    async with sessions() as s, s.begin():
        await post_entry(s, deposit(patron, 50 * 100))

    async def spend() -> bool:
        try:
            async with sessions() as s, s.begin():
                await post_entry(s, tip(patron, creator, 100, commission=10))
            return True
        except InsufficientFunds:
            return False

    outcomes = await asyncio.gather(*(spend() for _ in range(200)))
    assert outcomes.count(True) == 50
    assert await balance(sessions, f"patron_wallet:{patron}") == 0
    assert await balance(sessions, f"creator_earnings:{creator}") == 50 * 90
    async with sessions() as s:
        lowest = (
            await s.execute(
                text("SELECT min(balance_after) FROM postings WHERE account_id = :a"), {"a": f"patron_wallet:{patron}"}
            )
        ).scalar()
    assert lowest == 0
    async with sessions() as s:
        in_sequence = (
            (
                await s.execute(
                    text(
                        "SELECT p.balance_after FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
                        "WHERE p.account_id = :a ORDER BY e.seq"
                    ),
                    {"a": f"patron_wallet:{patron}"},
                )
            )
            .scalars()
            .all()
        )
    # Entry sequence order is the order the wallet was actually debited in.
    assert in_sequence == list(range(5000, -1, -100))


async def test_a_batch_posts_in_order_with_running_balances(sessions) -> None:  # type: ignore[no-untyped-def]
    patron, creators = acct(), [acct() for _ in range(3)]
    entries = [deposit(patron, 1000)] + [tip(patron, c, 100 * (i + 1), commission=i) for i, c in enumerate(creators)]
    async with sessions() as s, s.begin():
        posted = await post_entries(s, entries)
    assert [p.created for p in posted] == [True] * 4
    assert [p.line(f"patron_wallet:{patron}").balance_after for p in posted] == [1000, 900, 700, 400]
    assert [p.seq for p in posted] == sorted(p.seq for p in posted)
    assert await balance(sessions, f"patron_wallet:{patron}") == 400
    assert await balance(sessions, f"creator_earnings:{creators[2]}") == 298
    # The same batch again (a resumed close): nothing new, the same entries back.
    async with sessions() as s, s.begin():
        again = await post_entries(s, entries)
    assert [(p.id, p.created) for p in again] == [(p.id, False) for p in posted]
    # A key repeated within one batch is posted once; the repeat answers with that entry.
    repeated = deposit(patron, 5)
    async with sessions() as s, s.begin():
        twice = await post_entries(s, [repeated, repeated])
    assert twice[0].id == twice[1].id and [p.created for p in twice] == [True, False]
    assert await balance(sessions, f"patron_wallet:{patron}") == 405


async def test_a_batch_that_would_overdraw_midway_writes_nothing(sessions) -> None:  # type: ignore[no-untyped-def]
    patron, creator = acct(), acct()
    async with sessions() as s, s.begin():
        await post_entry(s, deposit(patron, 250))
    batch = [tip(patron, creator, 100), tip(patron, creator, 100), tip(patron, creator, 100)]
    async with sessions() as s, s.begin():
        with pytest.raises(InsufficientFunds) as refused:
            await post_entries(s, batch)
    assert refused.value.entry_key == batch[2].idempotency_key and refused.value.balance == 50
    assert await balance(sessions, f"patron_wallet:{patron}") == 250
    async with sessions() as s:
        keys = [e.idempotency_key for e in batch]
        assert (
            await s.execute(
                select(func.count()).select_from(JournalEntry).where(JournalEntry.idempotency_key.in_(keys))
            )
        ).scalar() == 0


async def test_a_large_batch_is_copied_with_the_same_running_balances(sessions) -> None:  # type: ignore[no-untyped-def]
    """Thousands of postings go in by COPY: the same rows, order, balances and checks as the INSERT."""
    patron, creators = acct(), [acct() for _ in range(7)]
    tips = [tip(patron, creators[i % 7], 3 + i % 5, commission=i % 2) for i in range(900)]
    entries = [deposit(patron, 10_000), *tips]
    assert sum(len(e.legs) for e in entries) >= 2000  # the COPY path
    async with sessions() as s, s.begin():
        posted = await post_entries(s, entries)
    expected, running = [], 10_000
    for e in tips:
        running -= e.legs[0].amount
        expected.append(running)
    assert [p.line(f"patron_wallet:{patron}").balance_after for p in posted[1:]] == expected
    assert await balance(sessions, f"patron_wallet:{patron}") == expected[-1]
    for c in creators:
        got = sum(-e.legs[1].amount for e in tips if e.legs[1].account.owner_id == c)
        assert await balance(sessions, f"creator_earnings:{c}") == got
    async with sessions() as s:
        stored = (
            await s.execute(
                text(
                    "SELECT p.balance_after FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
                    "WHERE p.account_id = :a ORDER BY p.id"
                ),
                {"a": f"patron_wallet:{patron}"},
            )
        ).scalars()
        assert list(stored) == [10_000, *expected]
    # Too much for the wallet somewhere in a large batch: refused before anything is written.
    overdraw = [tip(patron, creators[1], 6) for _ in range(1100)]  # 2,200 postings, 6,600 > the balance
    async with sessions() as s, s.begin():
        with pytest.raises(InsufficientFunds):
            await post_entries(s, overdraw)
    assert await balance(sessions, f"patron_wallet:{patron}") == expected[-1]


async def test_many_first_uses_of_the_same_new_accounts_at_once_all_post(sessions) -> None:  # type: ignore[no-untyped-def]
    """Concurrent transactions creating the same accounts skip each other's rows instead of failing.

    (With ``ON CONFLICT (id)`` they could meet on the (id, currency) unique constraint, which
    was not an arbiter, and fail with a unique violation.)
    """
    for _ in range(15):
        patrons = [acct() for _ in range(12)]

        async def first_deposit(patron: str) -> None:
            async with sessions() as s, s.begin():
                await post_entry(s, deposit(patron, 100))

        # Each patron's two deposits race to create the same new wallet account.
        await asyncio.gather(*(first_deposit(p) for p in patrons for _ in range(2)))
        for patron in patrons:
            assert await balance(sessions, f"patron_wallet:{patron}") == 200
