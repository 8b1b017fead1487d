"""Nothing stays in flight: deposits and payouts whose callback never came are finished from the provider's answer,
through the callback's own idempotent path; and the provider's fees for a day are checked against ours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_wallet.deposits.models import Deposit
from trickle_wallet.payouts import service as payouts
from trickle_wallet.providers import service as callbacks
from trickle_wallet.providers.base import PaymentOrder, PaymentProvider, ProviderResult
from trickle_wallet.reconciliation.schemas import (
    FeeDifference,
    FeeReconciliationOut,
    FeeTotal,
    ReconciledOrder,
    ReconciliationOut,
)
from trickle_wallet.refunds import service as refunds
from trickle_wallet.settings import Settings

log = structlog.get_logger("trickle.wallet.reconciliation")


async def overdue_orders(
    session: AsyncSession, settings: Settings, provider: str, now: datetime
) -> Sequence[PaymentOrder]:
    """Deposits still pending, and payouts and refunds still processing, at ``provider`` past their deadline (the
    payouts' deadline for both), oldest first."""
    limit = settings.reconcile_batch
    deposits = (
        await session.execute(
            select(Deposit)
            .where(
                Deposit.status == "pending",
                Deposit.provider == provider,
                Deposit.created_at <= now - timedelta(seconds=settings.reconcile_deposits_after_s),
            )
            .order_by(Deposit.created_at)
            .limit(limit)
        )
    ).scalars()
    processing_before = now - timedelta(seconds=settings.reconcile_payouts_after_s)
    outgoing = [
        order
        for flow in (payouts.FLOW, refunds.FLOW)
        for order in await flow.overdue(session, provider, processing_before, limit)
    ]
    return [
        *(
            PaymentOrder("deposit", d.id, Money(amount=d.gross, currency=d.currency), d.sandbox, d.method)
            for d in deposits
        ),
        *outgoing,
    ]


async def _settle_one(
    sessions: async_sessionmaker[AsyncSession], provider: PaymentProvider, order: PaymentOrder
) -> ReconciledOrder:
    def done(answer: ProviderResult | None, outcome: str) -> ReconciledOrder:
        return ReconciledOrder.model_validate(
            {
                "object": order.kind,
                "reference": order.reference,
                "provider_status": answer.status if answer else None,
                "outcome": outcome,
            }
        )

    try:
        answer = await provider.status(order)
    except Exception as exc:  # the provider is away: ask again next round
        log.warning("provider_status_failed", kind=order.kind, reference=order.reference, error=repr(exc))
        return done(None, "error")
    if answer is None:
        log.error("order_unknown_to_provider", kind=order.kind, reference=order.reference)
        return done(None, "unknown")
    if answer.object != order.kind or answer.reference != order.reference:
        log.error("provider_status_mismatch", kind=order.kind, reference=order.reference, got=answer.reference)
        return done(None, "error")
    if answer.status == "pending":
        return done(answer, "pending")
    try:
        async with sessions() as session, session.begin():
            # The very path of a callback: recorded once, applied only to a deposit or payout still in flight.
            outcome = await callbacks.apply_callback(session, provider.name, answer)
    except Exception as exc:  # e.g. the provider's amount is not ours: an operator looks
        log.error("provider_status_not_applied", kind=order.kind, reference=order.reference, error=repr(exc))
        return done(answer, "error")
    return done(answer, outcome)


async def reconcile(
    sessions: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    settings: Settings,
    now: datetime | None = None,
) -> ReconciliationOut:
    """Ask the provider about every overdue deposit, payout and refund and apply its final answers like callbacks."""
    async with sessions() as session:
        orders = await overdue_orders(session, settings, provider.name, now or utcnow())
    # One at a time, outside any transaction: a slow provider holds no row lock.
    settled = [await _settle_one(sessions, provider, order) for order in orders]
    finished = sum(1 for s in settled if s.outcome == "applied")
    if settled:
        log.info(
            "in_flight_reconciled",
            checked=len(settled),
            finished=finished,
            pending=sum(1 for s in settled if s.outcome == "pending"),
            problems=sum(1 for s in settled if s.outcome in ("unknown", "error", "ignored")),
        )
    return ReconciliationOut(checked=len(settled), finished=finished, orders=settled)


async def reconcile_fees(session: AsyncSession, provider: PaymentProvider, day: date) -> FeeReconciliationOut:
    """The provider's fees for ``day`` (UTC) against the fees of the deposits made there that day. Differences are
    reported (and logged), never booked: an operator decides."""
    report = await provider.fee_report(day)
    start = datetime.combine(day, time(), UTC)
    rows = (
        await session.execute(
            select(Deposit.id, Deposit.fee, Deposit.currency).where(
                Deposit.provider == provider.name,
                Deposit.status == "succeeded",
                Deposit.created_at >= start,
                Deposit.created_at < start + timedelta(days=1),
            )
        )
    ).all()
    ours: dict[str, tuple[str, Money]] = {
        dep_id: ("deposit", Money(amount=fee, currency=currency)) for dep_id, fee, currency in rows
    }
    theirs: dict[str, tuple[str, Money]] = {line.reference: (line.kind, line.fee) for line in report.fees}
    totals: dict[str, list[int]] = {}
    differences: list[FeeDifference] = []
    matched = 0
    for reference in sorted(ours.keys() | theirs.keys()):
        kind, wallet_fee = ours.get(reference, (None, None))
        their_kind, provider_fee = theirs.get(reference, (None, None))
        for side, fee in ((0, wallet_fee), (1, provider_fee)):
            if fee is not None:
                totals.setdefault(fee.currency, [0, 0])[side] += fee.amount
        if wallet_fee == provider_fee or (wallet_fee is None and provider_fee is not None and provider_fee.amount == 0):
            matched += 1
            continue
        differences.append(
            FeeDifference.model_validate(
                {
                    "object": kind or their_kind,
                    "reference": reference,
                    "kind": _difference_kind(wallet_fee, provider_fee),
                    "wallet_fee": wallet_fee,
                    "provider_fee": provider_fee,
                }
            )
        )
    result = FeeReconciliationOut(
        provider=provider.name,
        day=day,
        matched=matched,
        totals=[FeeTotal(currency=c, wallet=w, provider=p, difference=p - w) for c, (w, p) in sorted(totals.items())],
        differences=differences,
    )
    logger = log.warning if differences else log.info
    logger(
        "provider_fees_reconciled",
        provider=provider.name,
        day=day.isoformat(),
        matched=matched,
        differences=len(differences),
        totals={t.currency: t.difference for t in result.totals},
    )
    return result


def _difference_kind(wallet_fee: Money | None, provider_fee: Money | None) -> str:
    if provider_fee is None:
        return "unreported"
    return "unrecorded" if wallet_fee is None else "mismatch"
