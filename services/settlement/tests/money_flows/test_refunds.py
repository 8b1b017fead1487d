"""Refunds of a patron's unspent wallet: reserved from the wallet, then settled with the provider or released back.

Wallet events produced onto Kafka, consumed by the real InboxConsumer, answered on the ledger topic.
"""

from __future__ import annotations

from sqlalchemy import text
from trickle_settlement_testing.pipeline import acct, balance, deposit, eur, ledger_event

from trickle_events.topics import WALLET, dlq
from trickle_events.wallet import RefundFailed, RefundPaid, RefundRequested, TransferRequested
from trickle_kit.ids import new_id
from trickle_kit.testing import read_topic, wait_until


def _refund(patron: str, amount: int) -> RefundRequested:
    return RefundRequested(refund_id=new_id("ref"), account_id=patron, amount=eur(amount), provider="sandbox")


async def _postings(sessions, entry_id: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async with sessions() as s:
        rows = (
            await s.execute(text("SELECT account_id, amount FROM postings WHERE entry_id = :e"), {"e": entry_id})
        ).all()
    return {account: int(amount) for account, amount in rows}


async def test_a_refund_is_reserved_from_the_wallet_then_settled_with_the_provider(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    publish, prefix = pipeline["publish"], pipeline["prefix"]
    await publish(deposit(patron, 1000, 50))  # the wallet holds 950
    await ledger_event(prefix, "ledger.entry.posted", account_ids_concerned=[patron])

    refund = _refund(patron, 950)
    await publish(refund)
    reserved = await ledger_event(prefix, "ledger.refund.reserved", refund_id=refund.refund_id)
    wallet, in_transit = f"patron_wallet:{patron}", f"payouts_in_transit:{patron}"
    assert await _postings(sessions, reserved.data["entry_id"]) == {wallet: 950, in_transit: -950}
    assert await balance(sessions, wallet) == 0 and await balance(sessions, in_transit) == 950

    await publish(RefundPaid(refund_id=refund.refund_id, account_id=patron, amount=eur(950), provider="sandbox"))
    settled = await ledger_event(prefix, "ledger.refund.settled", refund_id=refund.refund_id)
    assert await _postings(sessions, settled.data["entry_id"]) == {in_transit: 950, "provider_clearing:sandbox": -950}
    assert await balance(sessions, in_transit) == 0
    async with sessions() as s:
        keys = (
            await s.execute(
                text("SELECT idempotency_key, kind FROM journal_entries WHERE reference = :r ORDER BY seq"),
                {"r": refund.refund_id},
            )
        ).all()
    assert [tuple(k) for k in keys] == [
        (f"refund:reserve:{refund.refund_id}", "refund_reserve"),
        (f"refund:settle:{refund.refund_id}", "refund_settle"),
    ]


async def test_a_failed_refund_releases_the_reservation_back_to_the_wallet(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    publish, prefix = pipeline["publish"], pipeline["prefix"]
    await publish(deposit(patron, 800, 0))
    await ledger_event(prefix, "ledger.entry.posted", account_ids_concerned=[patron])
    refund = _refund(patron, 500)
    await publish(refund)
    await ledger_event(prefix, "ledger.refund.reserved", refund_id=refund.refund_id)
    assert await balance(sessions, f"patron_wallet:{patron}") == 300

    await publish(RefundFailed(refund_id=refund.refund_id, account_id=patron, amount=eur(500), reason="declined"))
    released = await ledger_event(prefix, "ledger.refund.released", refund_id=refund.refund_id)
    assert await _postings(sessions, released.data["entry_id"]) == {
        f"payouts_in_transit:{patron}": 500,
        f"patron_wallet:{patron}": -500,
    }
    assert await balance(sessions, f"patron_wallet:{patron}") == 800
    assert await balance(sessions, f"payouts_in_transit:{patron}") == 0


async def test_a_refund_beyond_the_wallet_is_rejected_and_stays_rejected(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    """The wallet checks the balance it projects; the ledger decides. A refusal asked again never pays later."""
    patron, artist = acct(), acct()
    publish, prefix = pipeline["publish"], pipeline["prefix"]
    await publish(deposit(patron, 400, 0))
    await ledger_event(prefix, "ledger.entry.posted", account_ids_concerned=[patron])
    # Spent meanwhile: the wallet's read model may not know yet when the refund is asked for.
    tip = TransferRequested(transfer_id=new_id("tr"), from_account_id=patron, to_account_id=artist, amount=eur(300))
    await publish(tip)
    await ledger_event(prefix, "ledger.transfer.completed", transfer_id=tip.transfer_id)
    refund = _refund(patron, 400)
    await publish(refund)
    rejected = await ledger_event(prefix, "ledger.refund.rejected", refund_id=refund.refund_id)
    assert rejected.data["reason"] == "insufficient_funds"
    more = deposit(patron, 1000, 0)
    await publish(more)
    await ledger_event(prefix, "ledger.entry.posted", reference=more.deposit_id)
    await publish(refund)  # the same request again, under a new event id

    async def answered_twice() -> bool:
        async with sessions() as s:
            n = (
                await s.execute(
                    text("SELECT count(*) FROM outbox WHERE event_type = 'ledger.refund.rejected' AND subject = :r"),
                    {"r": refund.refund_id},
                )
            ).scalar_one()
        return int(n) == 2

    await wait_until(answered_twice)
    assert await balance(sessions, f"patron_wallet:{patron}") == 1100
    assert await balance(sessions, f"payouts_in_transit:{patron}") == 0


async def test_a_refund_paid_that_was_never_reserved_goes_to_the_dead_letter_topic(pipeline, sessions) -> None:  # type: ignore[no-untyped-def]
    patron = acct()
    publish, prefix = pipeline["publish"], pipeline["prefix"]
    lost = RefundPaid(refund_id=new_id("ref"), account_id=patron, amount=eur(100), provider="sandbox")
    await publish(lost)
    dead = await read_topic(
        prefix + dlq(WALLET), until=lambda evs: any(e.data.get("refund_id") == lost.refund_id for e in evs)
    )
    assert [e.type for e in dead if e.data.get("refund_id") == lost.refund_id] == ["wallet.refund.paid"]
    assert await balance(sessions, f"payouts_in_transit:{patron}") == 0
