"""Wallet events produced onto Kafka, consumed by the real InboxConsumer, answered on the ledger topic."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from trickle_settlement_testing.pipeline import acct, balance, deposit, eur, ledger_event

from trickle_events.topics import WALLET, dlq
from trickle_events.wallet import (
    AccountUpdated,
    BudgetUpdated,
    DepositSucceeded,
    PayoutFailed,
    PayoutPaid,
    PayoutRequested,
    TransferRequested,
)
from trickle_kit.ids import new_id
from trickle_kit.testing import read_topic, wait_until
from trickle_settlement.projections.models import PatronBudget


async def test_a_deposit_credits_the_wallet_net_and_records_the_fee(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    event = deposit(patron, 1000, 50)
    await pipeline["publish"](event)
    posted = await ledger_event(pipeline["prefix"], "ledger.entry.posted", reference=event.deposit_id)
    lines = {p["ledger_account"]: p for p in posted.data["postings"]}
    assert lines["provider_clearing:sandbox"]["amount"] == 1000
    assert lines[f"patron_wallet:{patron}"] == {
        "ledger_account": f"patron_wallet:{patron}",
        "kind": "patron_wallet",
        "owner_id": patron,
        "amount": -950,
        "currency": "EUR",
        "balance_after": 950,
    }
    assert lines["provider_fees:sandbox"]["amount"] == -50
    assert posted.data["account_ids_concerned"] == [patron]
    assert await balance(sessions, f"patron_wallet:{patron}") == 950


async def test_a_tip_pays_ten_percent_commission_and_a_non_profit_none(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron, artist, charity = acct(), acct(), acct()
    publish = pipeline["publish"]
    await publish(
        AccountUpdated(account_id=charity, display_name="Charity", kind="organisation", currency="EUR", non_profit=True)
    )
    await publish(deposit(patron, 1000, 0))
    await ledger_event(pipeline["prefix"], "ledger.entry.posted", account_ids_concerned=[patron])
    to_artist = TransferRequested(
        transfer_id=new_id("tr"), from_account_id=patron, to_account_id=artist, amount=eur(255)
    )
    to_charity = TransferRequested(
        transfer_id=new_id("tr"), from_account_id=patron, to_account_id=charity, amount=eur(300)
    )
    await publish(to_artist)
    await publish(to_charity)
    done = await ledger_event(pipeline["prefix"], "ledger.transfer.completed", transfer_id=to_artist.transfer_id)
    # 255 × 10% = 25.5 → 26 (half to even)
    assert done.data["commission"] == {"amount": 26, "currency": "EUR"}
    assert done.data["net"] == {"amount": 229, "currency": "EUR"}
    done = await ledger_event(pipeline["prefix"], "ledger.transfer.completed", transfer_id=to_charity.transfer_id)
    assert done.data["commission"]["amount"] == 0 and done.data["net"]["amount"] == 300
    assert await balance(sessions, f"patron_wallet:{patron}") == 1000 - 555
    assert await balance(sessions, f"creator_earnings:{artist}") == 229
    assert await balance(sessions, f"creator_earnings:{charity}") == 300


async def test_a_tip_to_a_creator_at_full_commission_completes_with_nothing_net(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    """10000 bps (the highest rate the wallet allows): the earnings leg is 0 and is dropped from the entry."""
    patron, creator = acct(), acct()
    publish = pipeline["publish"]
    await publish(
        AccountUpdated(account_id=creator, display_name="All in", kind="person", currency="EUR", commission_bps=10000)
    )
    await publish(deposit(patron, 1000, 0))
    await ledger_event(pipeline["prefix"], "ledger.entry.posted", account_ids_concerned=[patron])
    tip = TransferRequested(transfer_id=new_id("tr"), from_account_id=patron, to_account_id=creator, amount=eur(100))
    await publish(tip)
    done = await ledger_event(pipeline["prefix"], "ledger.transfer.completed", transfer_id=tip.transfer_id)
    assert done.data["commission"] == {"amount": 100, "currency": "EUR"}
    assert done.data["net"] == {"amount": 0, "currency": "EUR"}
    assert await balance(sessions, f"patron_wallet:{patron}") == 900


async def test_a_tip_beyond_the_wallet_is_rejected_and_moves_nothing(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron, artist = acct(), acct()
    await pipeline["publish"](deposit(patron, 100, 0))
    await ledger_event(pipeline["prefix"], "ledger.entry.posted", account_ids_concerned=[patron])
    too_much = TransferRequested(
        transfer_id=new_id("tr"), from_account_id=patron, to_account_id=artist, amount=eur(101)
    )
    to_self = TransferRequested(transfer_id=new_id("tr"), from_account_id=patron, to_account_id=patron, amount=eur(1))
    nothing = TransferRequested(transfer_id=new_id("tr"), from_account_id=patron, to_account_id=artist, amount=eur(0))
    await pipeline["publish"](too_much)
    await pipeline["publish"](to_self)
    await pipeline["publish"](nothing)
    rejected = await ledger_event(pipeline["prefix"], "ledger.transfer.rejected", transfer_id=too_much.transfer_id)
    assert rejected.data["reason"] == "insufficient_funds"
    rejected = await ledger_event(pipeline["prefix"], "ledger.transfer.rejected", transfer_id=to_self.transfer_id)
    assert rejected.data["reason"] == "same_account"
    rejected = await ledger_event(pipeline["prefix"], "ledger.transfer.rejected", transfer_id=nothing.transfer_id)
    assert rejected.data["reason"] == "invalid_amount"
    assert await balance(sessions, f"patron_wallet:{patron}") == 100
    assert await balance(sessions, f"creator_earnings:{artist}") == 0


async def test_a_refused_request_asked_again_gets_the_same_answer(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    """The wallet publishing a request twice (new event id) must not turn a rejection into a payment later."""
    patron, artist = acct(), acct()
    publish, prefix = pipeline["publish"], pipeline["prefix"]
    tip = TransferRequested(transfer_id=new_id("tr"), from_account_id=patron, to_account_id=artist, amount=eur(500))
    payout = PayoutRequested(payout_id=new_id("po"), account_id=artist, amount=eur(100), provider="sandbox")
    await publish(tip)
    await publish(payout)
    await ledger_event(prefix, "ledger.transfer.rejected", transfer_id=tip.transfer_id)
    await ledger_event(prefix, "ledger.payout.rejected", payout_id=payout.payout_id)
    # Now the money would be there...
    await publish(deposit(patron, 1000, 0))
    await ledger_event(prefix, "ledger.entry.posted", account_ids_concerned=[patron])
    await publish(tip)
    await publish(payout)

    async def answered_twice() -> bool:
        async with sessions() as s:
            n = (
                await s.execute(
                    text(
                        "SELECT count(*) FROM outbox WHERE event_type LIKE 'ledger.%.rejected' AND subject IN (:t, :p)"
                    ),
                    {"t": tip.transfer_id, "p": payout.payout_id},
                )
            ).scalar_one()
        return int(n) == 4

    await wait_until(answered_twice)
    async with sessions() as s:
        outcomes = (
            await s.execute(
                text(
                    "SELECT subject, event_type, payload::jsonb->>'reason' FROM outbox "
                    "WHERE subject IN (:t, :p) ORDER BY id"
                ),
                {"t": tip.transfer_id, "p": payout.payout_id},
            )
        ).all()
    assert [(e, r) for subject, e, r in outcomes if subject == tip.transfer_id] == [
        ("ledger.transfer.rejected", "insufficient_funds")
    ] * 2
    assert [(e, r) for subject, e, r in outcomes if subject == payout.payout_id] == [
        ("ledger.payout.rejected", "insufficient_earnings")
    ] * 2
    assert await balance(sessions, f"patron_wallet:{patron}") == 1000
    assert await balance(sessions, f"creator_earnings:{artist}") == 0


async def test_a_payout_is_reserved_then_settled_or_released(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron, creator = acct(), acct()
    publish, prefix = pipeline["publish"], pipeline["prefix"]
    await publish(AccountUpdated(account_id=creator, display_name="C", kind="person", currency="EUR", non_profit=True))
    await publish(deposit(patron, 5000, 0))
    tip = TransferRequested(transfer_id=new_id("tr"), from_account_id=patron, to_account_id=creator, amount=eur(5000))
    await publish(tip)
    await ledger_event(prefix, "ledger.transfer.completed", transfer_id=tip.transfer_id)
    assert await balance(sessions, f"creator_earnings:{creator}") == 5000

    paid = PayoutRequested(payout_id=new_id("po"), account_id=creator, amount=eur(3000), provider="sandbox")
    await publish(paid)
    await ledger_event(prefix, "ledger.payout.reserved", payout_id=paid.payout_id)
    too_big = PayoutRequested(payout_id=new_id("po"), account_id=creator, amount=eur(2001), provider="sandbox")
    await publish(too_big)
    rejected = await ledger_event(prefix, "ledger.payout.rejected", payout_id=too_big.payout_id)
    assert rejected.data["reason"] == "insufficient_earnings"
    failing = PayoutRequested(payout_id=new_id("po"), account_id=creator, amount=eur(2000), provider="sandbox")
    await publish(failing)
    await ledger_event(prefix, "ledger.payout.reserved", payout_id=failing.payout_id)
    assert await balance(sessions, f"creator_earnings:{creator}") == 0
    assert await balance(sessions, f"payouts_in_transit:{creator}") == 5000

    await publish(PayoutPaid(payout_id=paid.payout_id, account_id=creator, amount=eur(3000), provider="sandbox"))
    await publish(PayoutFailed(payout_id=failing.payout_id, account_id=creator, amount=eur(2000), reason="bank"))
    await ledger_event(prefix, "ledger.payout.settled", payout_id=paid.payout_id)
    await ledger_event(prefix, "ledger.payout.released", payout_id=failing.payout_id)
    assert await balance(sessions, f"payouts_in_transit:{creator}") == 0
    assert await balance(sessions, f"creator_earnings:{creator}") == 2000


async def test_a_budget_update_feeds_the_read_model_and_an_older_one_does_not_win(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    now = datetime.now(UTC)
    newer = BudgetUpdated(account_id=patron, enabled=True, amount=eur(500), max_per_month=eur(800), updated_at=now)
    older = BudgetUpdated(account_id=patron, enabled=True, amount=eur(200), updated_at=now - timedelta(minutes=1))
    await pipeline["publish"](newer)
    await pipeline["publish"](older)

    async def budget_is_newest() -> bool:
        async with sessions() as s:
            row = (await s.execute(select(PatronBudget).where(PatronBudget.account_id == patron))).scalar_one_or_none()
        return row is not None and row.amount == 500 and row.max_per_month == 800

    await wait_until(budget_is_newest)
    # And it stays so once the older update has certainly been consumed (one partition: same key, in order).
    marker = deposit(patron, 100, 0)
    await pipeline["publish"](marker)
    await ledger_event(pipeline["prefix"], "ledger.entry.posted", reference=marker.deposit_id)
    assert await budget_is_newest()


@pytest.mark.parametrize(
    "make_event",
    [
        lambda who: DepositSucceeded(
            deposit_id=new_id("dep"),
            account_id=who,
            method="card",
            provider="sandbox",
            gross=eur(1000),
            fee=eur(50),
            net=eur(1000),
        ),
        lambda who: PayoutPaid(payout_id=new_id("po"), account_id=who, amount=eur(100), provider="sandbox"),
        lambda who: PayoutFailed(payout_id=new_id("po"), account_id=who, amount=eur(100), reason="never reserved"),
    ],
    ids=["gross_is_not_net_plus_fee", "paid_but_never_reserved", "failed_but_never_reserved"],
)
async def test_an_event_that_breaks_the_contract_goes_to_the_dead_letter_topic(pipeline, sessions, make_event) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    bad = make_event(patron)
    await pipeline["publish"](bad)
    dead = await read_topic(
        pipeline["prefix"] + dlq(WALLET), until=lambda evs: any(e.data.get("account_id") == patron for e in evs)
    )
    assert [e.type for e in dead if e.data.get("account_id") == patron] == [bad.event_type]
    async with sessions() as s:
        touched = (
            await s.execute(text("SELECT count(*) FROM ledger_accounts WHERE owner_id = :p"), {"p": patron})
        ).scalar_one()
    assert touched == 0


async def test_the_transfer_handler_under_two_hundred_concurrent_requests_lets_exactly_fifty_through(
    pipeline, sessions
) -> None:  # type: ignore[no-untyped-def]
    """200 tips of 1.00 from a wallet holding 50.00, each applied in its own transaction and connection."""
    from trickle_settlement.money_flows.service import request_transfer

    patron, creator = acct(), acct()
    await pipeline["publish"](deposit(patron, 5000, 0))
    await ledger_event(pipeline["prefix"], "ledger.entry.posted", account_ids_concerned=[patron])
    requests = [
        TransferRequested(transfer_id=new_id("tr"), from_account_id=patron, to_account_id=creator, amount=eur(100))
        for _ in range(200)
    ]

    async def apply(event: TransferRequested) -> None:
        async with sessions() as s, s.begin():
            await request_transfer(s, event)

    await asyncio.gather(*(apply(e) for e in requests))
    async with sessions() as s:
        outcomes = dict(
            (
                await s.execute(
                    text(
                        "SELECT event_type, count(*) FROM outbox WHERE payload::jsonb->>'from_account_id' = :p "
                        "AND event_type LIKE 'ledger.transfer.%' GROUP BY event_type"
                    ),
                    {"p": patron},
                )
            ).all()
        )
        lowest = (
            await s.execute(
                text("SELECT min(balance_after) FROM postings WHERE account_id = :a"), {"a": f"patron_wallet:{patron}"}
            )
        ).scalar()
    assert outcomes == {"ledger.transfer.completed": 50, "ledger.transfer.rejected": 150}
    assert await balance(sessions, f"patron_wallet:{patron}") == 0
    assert lowest == 0
    assert await balance(sessions, f"creator_earnings:{creator}") == 50 * 90
