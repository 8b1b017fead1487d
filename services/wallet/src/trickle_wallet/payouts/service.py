"""Payouts: request, reservation answers from the ledger, hand-over to the provider, its outcome."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_events.ledger import PayoutRejected, PayoutReserved
from trickle_events.wallet import PayoutFailed, PayoutPaid, PayoutRequested
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.inbox import PermanentError
from trickle_kit.money import Money
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import not_found
from trickle_kit.readable import Reader
from trickle_wallet.accounts import service as accounts
from trickle_wallet.accounts.models import Account
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.payouts.models import Payout
from trickle_wallet.payouts.schemas import PayoutCreate, PayoutOut
from trickle_wallet.providers.base import PaymentOrder, PaymentProvider, ProviderResult
from trickle_wallet.providers.schemas import CallbackOutcome
from trickle_wallet.settings import Settings

log = structlog.get_logger("trickle.wallet.payouts")


def _money(p: Payout) -> Money:
    return Money(amount=p.amount, currency=p.currency)


async def request_payout(
    session: AsyncSession, settings: Settings, provider: str, account_id: str, request: PayoutCreate
) -> Payout:
    """A requested payout, to be paid by ``provider`` (its name), and its ``wallet.payout.requested`` event;
    the ledger reserves or rejects it."""
    account = (await session.execute(select(Account).where(Account.id == account_id))).scalar_one_or_none()
    if account is None:
        raise not_found("Account", account_id)
    await accounts.lock_active(session, account)
    if request.sandbox is not None and not settings.payments_sandbox:
        raise InvalidInput("sandbox_disabled", "Sandbox instructions are refused outside sandbox mode", "sandbox")
    if request.amount.currency != account.currency:
        raise InvalidInput("currency_mismatch", f"The account holds {account.currency}", "amount.currency")
    if not settings.payout_min_amount <= request.amount.amount <= settings.payout_max_amount:
        raise InvalidInput(
            "amount_out_of_range",
            f"Payouts must be between {settings.payout_min_amount} and {settings.payout_max_amount} minor units",
            "amount.amount",
        )
    now = utcnow()
    payout = Payout(
        id=new_id("po"),
        account_id=account.id,
        currency=request.amount.currency,
        amount=request.amount.amount,
        provider=provider,
        sandbox=request.sandbox,
        status="requested",
        created_at=now,
        updated_at=now,
    )
    session.add(payout)
    await session.flush()
    await OUTBOX.add(
        session,
        PayoutRequested(payout_id=payout.id, account_id=payout.account_id, amount=request.amount, provider=provider),
    )
    return payout


async def _locked(session: AsyncSession, payout_id: str) -> Payout | None:
    stmt = select(Payout).where(Payout.id == payout_id).with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def _locked_for_event(session: AsyncSession, payout_id: str, amount: Money) -> Payout:
    payout = await _locked(session, payout_id)
    if payout is None:
        raise PermanentError(f"unknown payout {payout_id}")
    if amount != _money(payout):
        raise PermanentError(f"payout {payout_id}: the ledger's amount {amount} is not the requested one")
    return payout


async def on_payout_reserved(session: AsyncSession, event: PayoutReserved) -> None:
    payout = await _locked_for_event(session, event.payout_id, event.amount)
    if payout.status != "requested":
        return  # redelivered, or already further along
    payout.status, payout.reserve_entry_id, payout.updated_at = "reserved", event.entry_id, utcnow()


async def on_payout_rejected(session: AsyncSession, event: PayoutRejected) -> None:
    payout = await _locked_for_event(session, event.payout_id, event.amount)
    if payout.status != "requested":
        if payout.status != "rejected":
            log.error("payout_outcome_conflict", payout_id=payout.id, status=payout.status, got="rejected")
        return
    now = utcnow()
    payout.status, payout.reason, payout.updated_at, payout.completed_at = "rejected", event.reason[:200], now, now


async def dispatch_reserved(
    sessions: async_sessionmaker[AsyncSession], provider: PaymentProvider, limit: int = 50
) -> int:
    """Hand reserved payouts to the provider (idempotent by payout id there); returns how many."""
    async with sessions() as session, session.begin():
        stmt = (
            select(Payout)
            .where(Payout.status == "reserved")
            .order_by(Payout.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        payouts = (await session.execute(stmt)).scalars().all()
        for payout in payouts:
            # Inside the transaction: if the commit fails the payout stays reserved and is handed over again,
            # which the provider deduplicates by reference; its callback waits for our row lock.
            ref = await provider.start(PaymentOrder("payout", payout.id, _money(payout), payout.sandbox))
            payout.status, payout.provider_ref, payout.updated_at = "processing", ref, utcnow()
    return len(payouts)


async def apply_provider_result(session: AsyncSession, result: ProviderResult) -> CallbackOutcome:
    """Paid or failed at the provider → ``wallet.payout.paid|failed`` (the ledger settles or releases)."""
    payout = await _locked(session, result.reference)
    if payout is None:
        raise not_found("Payout", result.reference)
    if result.amount != _money(payout):
        raise InvalidInput("amount_mismatch", "The callback's amount is not the payout's", "amount")
    if payout.status not in ("reserved", "processing"):
        if payout.status in ("paid", "failed") and result.status in ("pending", _provider_status(payout.status)):
            return "unchanged"
        log.warning("late_payout_result_ignored", payout_id=payout.id, status=payout.status, got=result.status)
        return "ignored"
    if result.status == "pending":
        return "unchanged"
    now = utcnow()
    payout.provider_ref, payout.updated_at, payout.completed_at = result.provider_ref, now, now
    if result.status == "succeeded":
        payout.status = "paid"
        await OUTBOX.add(
            session,
            PayoutPaid(
                payout_id=payout.id, account_id=payout.account_id, amount=_money(payout), provider=payout.provider
            ),
        )
    else:
        payout.status, payout.reason = "failed", (result.reason or "provider_failed")[:200]
        await OUTBOX.add(
            session,
            PayoutFailed(
                payout_id=payout.id, account_id=payout.account_id, amount=_money(payout), reason=payout.reason
            ),
        )
    return "applied"


def _provider_status(status: str) -> str:
    return {"paid": "succeeded", "failed": "failed"}.get(status, status)


async def read_payout(session: AsyncSession, principal: Principal, payout_id: str) -> Payout:
    stmt = Reader.of(principal).scope(select(Payout).where(Payout.id == payout_id), Payout.account_id)
    payout = (await session.execute(stmt)).scalar_one_or_none()
    if payout is None:
        raise not_found("Payout", payout_id)
    return payout


async def list_payouts(
    session: AsyncSession, reader: Reader, params: PageParams, *, status: str | None = None
) -> tuple[Sequence[Payout], bool]:
    """The payouts of the accounts the reader holds (operators: all), oldest first; only ``status`` when given."""
    stmt = reader.scope(select(Payout), Payout.account_id)
    if status is not None:
        stmt = stmt.where(Payout.status == status)
    return await paginate(session, stmt, Payout.id, params)


def payout_out(p: Payout) -> PayoutOut:
    return PayoutOut.model_validate(
        {
            "id": p.id,
            "account_id": p.account_id,
            "amount": _money(p),
            "provider": p.provider,
            "status": p.status,
            "reason": p.reason,
            "sandbox": p.sandbox,
            "created_at": p.created_at,
            "updated_at": p.updated_at,
            "completed_at": p.completed_at,
        }
    )
