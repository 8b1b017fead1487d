"""How wallet requests become journal entries (see docs/ledger.md for every entry's postings).

Each function runs inside the consumer's inbox transaction: the entry, the outcome event
and the inbox row commit together. Outcomes that are the user's business (not enough
funds) are answered with a ``*.rejected`` event; events that break the contract (a
deposit whose gross is not net + fee, a payout paid that was never reserved) raise
``PermanentError`` and go to the dead-letter topic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger import (
    PayoutRejected,
    PayoutReleased,
    PayoutReserved,
    PayoutSettled,
    RefundRejected,
    RefundReleased,
    RefundReserved,
    RefundSettled,
    TransferCompleted,
    TransferRejected,
)
from trickle_events.wallet import (
    DepositSucceeded,
    PayoutFailed,
    PayoutPaid,
    PayoutRequested,
    RefundFailed,
    RefundPaid,
    RefundRequested,
    TransferRequested,
)
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


@dataclass(frozen=True)
class Outgoing:
    """Money on its way out to an account holder through a provider: reserved from ``source`` into the holder's
    ``payouts_in_transit``, then settled with the provider's clearing account, or released back to ``source``.

    A payout takes earnings out, a refund the unspent wallet: the same three entries, keyed ``<name>:<step>:<id>``.
    """

    name: Literal["payout", "refund"]
    source: Callable[[str, str], AccountRef]
    shortfall: str  # the refusal when ``source`` holds less than asked


PAYOUT = Outgoing("payout", chart.creator_earnings, "insufficient_earnings")
REFUND = Outgoing("refund", chart.patron_wallet, "insufficient_funds")


def outgoing_key(flow: Outgoing, step: str, request_id: str) -> str:
    return f"{flow.name}:{step}:{request_id}"


def payout_key(step: str, payout_id: str) -> str:
    return outgoing_key(PAYOUT, step, payout_id)


def refund_key(step: str, refund_id: str) -> str:
    return outgoing_key(REFUND, step, refund_id)


async def _reserve(
    session: AsyncSession, flow: Outgoing, request_id: str, account_id: str, amount: Money
) -> tuple[PostedEntry | None, str]:
    """Dr source amount; Cr payouts_in_transit amount — or the reason it was refused.

    Asked again (same request id), the answer is the first one: the reservation, or the refusal.
    """
    key = outgoing_key(flow, "reserve", request_id)
    source = flow.source(account_id, amount.currency)
    posted = await find_entry(session, key)
    reason = None if posted is not None else await refusal_of(session, key)
    if posted is None and reason is None:
        if amount.amount <= 0:
            reason = "invalid_amount"
        elif await available(session, source) < amount.amount:
            reason = flow.shortfall
        else:
            try:
                posted = await post_entry(
                    session,
                    NewEntry(
                        idempotency_key=key,
                        kind=f"{flow.name}_reserve",
                        currency=amount.currency,
                        legs=[
                            Leg(source, amount.amount),
                            Leg(chart.payouts_in_transit(account_id, amount.currency), -amount.amount),
                        ],
                        reference=request_id,
                    ),
                )
            except InsufficientFunds:
                reason = flow.shortfall
            except AccountMismatch:
                reason = "currency_mismatch"
        if reason is not None:
            await remember_refusal(session, key, reason)
    return posted, reason or "rejected"


async def reserve_payout(session: AsyncSession, event: PayoutRequested) -> None:
    """Dr creator_earnings amount; Cr payouts_in_transit amount. Or rejected."""
    posted, reason = await _reserve(session, PAYOUT, event.payout_id, event.account_id, event.amount)
    common = {"payout_id": event.payout_id, "account_id": event.account_id, "amount": event.amount}
    if posted is None:
        await OUTBOX.add(session, PayoutRejected.model_validate({**common, "reason": reason}))
    else:
        await OUTBOX.add(session, PayoutReserved.model_validate({**common, "entry_id": posted.id}))


async def reserve_refund(session: AsyncSession, event: RefundRequested) -> None:
    """Dr patron_wallet amount; Cr payouts_in_transit amount. Or rejected (``insufficient_funds``…)."""
    posted, reason = await _reserve(session, REFUND, event.refund_id, event.account_id, event.amount)
    common = {"refund_id": event.refund_id, "account_id": event.account_id, "amount": event.amount}
    if posted is None:
        await OUTBOX.add(session, RefundRejected.model_validate({**common, "reason": reason}))
    else:
        await OUTBOX.add(session, RefundReserved.model_validate({**common, "entry_id": posted.id}))


async def _reservation(
    session: AsyncSession, flow: Outgoing, request_id: str, account_id: str, amount: Money, other_step: str
) -> None:
    reserved = await find_entry(session, outgoing_key(flow, "reserve", request_id))
    if reserved is None:
        raise PermanentError(f"{flow.name} {request_id} was never reserved")
    in_transit = reserved.line(chart.payouts_in_transit(account_id, amount.currency).id)
    if -in_transit.amount != amount.amount or in_transit.currency != amount.currency:
        raise PermanentError(f"{flow.name} {request_id} reserved {-in_transit.amount}, the event says {amount.amount}")
    if await find_entry(session, outgoing_key(flow, other_step, request_id)) is not None:
        raise PermanentError(f"{flow.name} {request_id} was already {other_step}d")


async def _finish(
    session: AsyncSession,
    flow: Outgoing,
    step: Literal["settle", "release"],
    request_id: str,
    account_id: str,
    amount: Money,
    provider: str | None = None,
) -> PostedEntry:
    """Empty a reservation exactly once, after the other step was not taken: settled into the provider's clearing
    account (the money left it), or released back to the flow's source."""
    other_step = "release" if step == "settle" else "settle"
    await _reservation(session, flow, request_id, account_id, amount, other_step=other_step)
    if step == "settle":
        assert provider is not None
        counterpart = chart.provider_clearing(provider, amount.currency)
    else:
        counterpart = flow.source(account_id, amount.currency)
    return await post_entry(
        session,
        NewEntry(
            idempotency_key=outgoing_key(flow, step, request_id),
            kind=f"{flow.name}_{step}",
            currency=amount.currency,
            legs=[
                Leg(chart.payouts_in_transit(account_id, amount.currency), amount.amount),
                Leg(counterpart, -amount.amount),
            ],
            reference=request_id,
        ),
    )


async def settle_payout(session: AsyncSession, event: PayoutPaid) -> None:
    """The provider paid: Dr payouts_in_transit; Cr provider_clearing (the money left our provider account)."""
    posted = await _finish(session, PAYOUT, "settle", event.payout_id, event.account_id, event.amount, event.provider)
    await OUTBOX.add(
        session,
        PayoutSettled(payout_id=event.payout_id, account_id=event.account_id, amount=event.amount, entry_id=posted.id),
    )


async def release_payout(session: AsyncSession, event: PayoutFailed) -> None:
    """The provider failed: Dr payouts_in_transit; Cr creator_earnings (the reservation goes back)."""
    posted = await _finish(session, PAYOUT, "release", event.payout_id, event.account_id, event.amount)
    await OUTBOX.add(
        session,
        PayoutReleased(payout_id=event.payout_id, account_id=event.account_id, amount=event.amount, entry_id=posted.id),
    )


async def settle_refund(session: AsyncSession, event: RefundPaid) -> None:
    """The provider paid the patron back: Dr payouts_in_transit; Cr provider_clearing."""
    posted = await _finish(session, REFUND, "settle", event.refund_id, event.account_id, event.amount, event.provider)
    await OUTBOX.add(
        session,
        RefundSettled(refund_id=event.refund_id, account_id=event.account_id, amount=event.amount, entry_id=posted.id),
    )


async def release_refund(session: AsyncSession, event: RefundFailed) -> None:
    """The provider failed: Dr payouts_in_transit; Cr patron_wallet (the reservation goes back to the wallet)."""
    posted = await _finish(session, REFUND, "release", event.refund_id, event.account_id, event.amount)
    await OUTBOX.add(
        session,
        RefundReleased(refund_id=event.refund_id, account_id=event.account_id, amount=event.amount, entry_id=posted.id),
    )
