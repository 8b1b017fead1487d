"""How wallet requests become journal entries (see docs/ledger.md for every entry's postings).

Each function runs inside the consumer's inbox transaction: the entry, the outcome event
and the inbox row commit together. Outcomes that are the user's business (not enough
funds) are answered with a ``*.rejected`` event; events that break the contract (a
deposit whose gross is not net + fee, a payout paid that was never reserved) raise
``PermanentError`` and go to the dead-letter topic.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger import (
    PayoutRejected,
    PayoutReleased,
    PayoutReserved,
    PayoutSettled,
    TransferCompleted,
    TransferRejected,
)
from trickle_events.wallet import DepositSucceeded, PayoutFailed, PayoutPaid, PayoutRequested, TransferRequested
from trickle_kit.inbox import PermanentError
from trickle_kit.money import Money
from trickle_settlement.commission import commission_of
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.balances import available
from trickle_settlement.ledger.chart import AccountRef
from trickle_settlement.ledger.errors import AccountMismatch, InsufficientFunds
from trickle_settlement.ledger.journal import Leg, NewEntry, PostedEntry, find_entry
from trickle_settlement.ledger.posting import post_entry
from trickle_settlement.money_flows.repository import refusal_of, remember_refusal
from trickle_settlement.outbox import OUTBOX
from trickle_settlement.projections.accounts import commission_rate


def deposit_key(deposit_id: str) -> str:
    return f"deposit:{deposit_id}"


def transfer_key(transfer_id: str) -> str:
    return f"transfer:{transfer_id}"


def payout_key(step: str, payout_id: str) -> str:
    return f"payout:{step}:{payout_id}"


async def record_deposit(session: AsyncSession, event: DepositSucceeded) -> PostedEntry:
    """Dr provider_clearing gross; Cr patron_wallet net; Cr provider_fees fee."""
    currency = event.gross.currency
    if {event.net.currency, event.fee.currency} != {currency}:
        raise PermanentError(f"deposit {event.deposit_id} mixes currencies")
    if event.net.amount <= 0 or event.fee.amount < 0 or event.gross.amount != event.net.amount + event.fee.amount:
        raise PermanentError(f"deposit {event.deposit_id}: gross must equal net + fee with net > 0 and fee >= 0")
    legs = [
        Leg(chart.provider_clearing(event.provider, currency), event.gross.amount),
        Leg(chart.patron_wallet(event.account_id, currency), -event.net.amount),
    ]
    if event.fee.amount:
        legs.append(Leg(chart.provider_fees(event.provider, currency), -event.fee.amount))
    try:
        return await post_entry(
            session,
            NewEntry(
                idempotency_key=deposit_key(event.deposit_id),
                kind="deposit",
                currency=currency,
                legs=legs,
                reference=event.deposit_id,
            ),
        )
    except AccountMismatch as exc:
        raise PermanentError(str(exc)) from exc


async def request_transfer(session: AsyncSession, event: TransferRequested) -> None:
    """A tip: Dr sender's wallet amount; Cr recipient's earnings net; Cr platform commission k. Or rejected.

    Asked again (same transfer id), the answer is the first one: the entry, or the refusal.
    """
    amount = event.amount
    key = transfer_key(event.transfer_id)
    posted = await find_entry(session, key)
    reason = None if posted is not None else await refusal_of(session, key)
    if posted is None and reason is None:
        if amount.amount <= 0:
            reason = "invalid_amount"
        elif event.from_account_id == event.to_account_id:
            reason = "same_account"
        elif await available(session, chart.patron_wallet(event.from_account_id, amount.currency)) < amount.amount:
            reason = "insufficient_funds"
        else:
            commission = commission_of(amount.amount, await commission_rate(session, event.to_account_id))
            legs = [
                Leg(chart.patron_wallet(event.from_account_id, amount.currency), amount.amount),
                Leg(chart.creator_earnings(event.to_account_id, amount.currency), -(amount.amount - commission)),
                Leg(chart.platform_commission(amount.currency), -commission),
            ]
            try:
                posted = await post_entry(
                    session,
                    NewEntry(
                        idempotency_key=key,
                        kind="transfer",
                        currency=amount.currency,
                        legs=legs,
                        reference=event.transfer_id,
                    ),
                )
            except InsufficientFunds:
                reason = "insufficient_funds"
            except AccountMismatch:
                reason = "currency_mismatch"
        if reason is not None:
            await remember_refusal(session, key, reason)
    if posted is None:
        await OUTBOX.add(
            session,
            TransferRejected(
                transfer_id=event.transfer_id,
                from_account_id=event.from_account_id,
                to_account_id=event.to_account_id,
                amount=amount,
                reason=reason or "rejected",
            ),
        )
        return
    net = -posted.amount_of(chart.creator_earnings(event.to_account_id, amount.currency).id)  # 0 at 100 % commission
    await OUTBOX.add(
        session,
        TransferCompleted(
            transfer_id=event.transfer_id,
            entry_id=posted.id,
            from_account_id=event.from_account_id,
            to_account_id=event.to_account_id,
            amount=amount,
            commission=Money(amount=amount.amount - net, currency=amount.currency),
            net=Money(amount=net, currency=amount.currency),
        ),
    )


async def reserve_payout(session: AsyncSession, event: PayoutRequested) -> None:
    """Dr creator_earnings amount; Cr payouts_in_transit amount. Or rejected.

    Asked again (same payout id), the answer is the first one: the reservation, or the refusal.
    """
    amount = event.amount
    key = payout_key("reserve", event.payout_id)
    earnings = chart.creator_earnings(event.account_id, amount.currency)
    posted = await find_entry(session, key)
    reason = None if posted is not None else await refusal_of(session, key)
    if posted is None and reason is None:
        if amount.amount <= 0:
            reason = "invalid_amount"
        elif await available(session, earnings) < amount.amount:
            reason = "insufficient_earnings"
        else:
            try:
                posted = await post_entry(
                    session,
                    NewEntry(
                        idempotency_key=key,
                        kind="payout_reserve",
                        currency=amount.currency,
                        legs=[
                            Leg(earnings, amount.amount),
                            Leg(chart.payouts_in_transit(event.account_id, amount.currency), -amount.amount),
                        ],
                        reference=event.payout_id,
                    ),
                )
            except InsufficientFunds:
                reason = "insufficient_earnings"
            except AccountMismatch:
                reason = "currency_mismatch"
        if reason is not None:
            await remember_refusal(session, key, reason)
    if posted is None:
        await OUTBOX.add(
            session,
            PayoutRejected(
                payout_id=event.payout_id, account_id=event.account_id, amount=amount, reason=reason or "rejected"
            ),
        )
        return
    await OUTBOX.add(
        session,
        PayoutReserved(payout_id=event.payout_id, account_id=event.account_id, amount=amount, entry_id=posted.id),
    )


async def _reservation(session: AsyncSession, payout_id: str, account_id: str, amount: Money, other_step: str) -> None:
    reserved = await find_entry(session, payout_key("reserve", payout_id))
    if reserved is None:
        raise PermanentError(f"payout {payout_id} was never reserved")
    in_transit = reserved.line(chart.payouts_in_transit(account_id, amount.currency).id)
    if -in_transit.amount != amount.amount or in_transit.currency != amount.currency:
        raise PermanentError(f"payout {payout_id} reserved {-in_transit.amount}, the event says {amount.amount}")
    if await find_entry(session, payout_key(other_step, payout_id)) is not None:
        raise PermanentError(f"payout {payout_id} was already {other_step}d")


async def settle_payout(session: AsyncSession, event: PayoutPaid) -> None:
    """The provider paid: Dr payouts_in_transit; Cr provider_clearing (the money left our provider account)."""
    counterpart = chart.provider_clearing(event.provider, event.amount.currency)
    await _finish_payout(session, "settle", event.payout_id, event.account_id, event.amount, counterpart, PayoutSettled)


async def release_payout(session: AsyncSession, event: PayoutFailed) -> None:
    """The provider failed: Dr payouts_in_transit; Cr creator_earnings (the reservation goes back)."""
    counterpart = chart.creator_earnings(event.account_id, event.amount.currency)
    await _finish_payout(
        session, "release", event.payout_id, event.account_id, event.amount, counterpart, PayoutReleased
    )


async def _finish_payout(
    session: AsyncSession,
    step: Literal["settle", "release"],
    payout_id: str,
    account_id: str,
    amount: Money,
    counterpart: AccountRef,
    outcome: type[PayoutSettled] | type[PayoutReleased],
) -> None:
    """Empty a reservation into ``counterpart`` exactly once, after the other step was not taken."""
    other_step = "release" if step == "settle" else "settle"
    await _reservation(session, payout_id, account_id, amount, other_step=other_step)
    posted = await post_entry(
        session,
        NewEntry(
            idempotency_key=payout_key(step, payout_id),
            kind=f"payout_{step}",
            currency=amount.currency,
            legs=[
                Leg(chart.payouts_in_transit(account_id, amount.currency), amount.amount),
                Leg(counterpart, -amount.amount),
            ],
            reference=payout_id,
        ),
    )
    await OUTBOX.add(session, outcome(payout_id=payout_id, account_id=account_id, amount=amount, entry_id=posted.id))
