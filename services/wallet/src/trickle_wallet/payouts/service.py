"""Payouts: request, reservation answers from the ledger, hand-over to the provider, its outcome."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_events.ledger import PayoutRejected, PayoutReserved
from trickle_events.wallet import PayoutFailed, PayoutPaid, PayoutRequested
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams
from trickle_kit.problems import not_found
from trickle_kit.readable import Reader
from trickle_wallet.accounts import service as accounts
from trickle_wallet.accounts.models import Account
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.outgoing.flow import OutgoingFlow, money_of
from trickle_wallet.payouts.models import Payout
from trickle_wallet.payouts.schemas import PayoutCreate, PayoutOut
from trickle_wallet.providers.base import PaymentOrder, PaymentProvider, ProviderResult
from trickle_wallet.providers.schemas import CallbackOutcome
from trickle_wallet.settings import Settings


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


def _paid(p: Payout) -> PayoutPaid:
    return PayoutPaid(payout_id=p.id, account_id=p.account_id, amount=money_of(p), provider=p.provider)


def _failed(p: Payout) -> PayoutFailed:
    return PayoutFailed(payout_id=p.id, account_id=p.account_id, amount=money_of(p), reason=p.reason or "failed")


async def _start(provider: PaymentProvider, order: PaymentOrder) -> str:
    return await provider.start(order)


FLOW: OutgoingFlow[Payout] = OutgoingFlow("payout", "Payout", Payout, _start, _paid, _failed)


async def on_payout_reserved(session: AsyncSession, event: PayoutReserved) -> None:
    await FLOW.on_reserved(session, event.payout_id, event.amount, event.entry_id)


async def on_payout_rejected(session: AsyncSession, event: PayoutRejected) -> None:
    await FLOW.on_rejected(session, event.payout_id, event.amount, event.reason)


async def dispatch_reserved(
    sessions: async_sessionmaker[AsyncSession], provider: PaymentProvider, limit: int = 50
) -> int:
    """Hand reserved payouts to the provider (idempotent by payout id there); returns how many."""
    return await FLOW.dispatch_reserved(sessions, provider, limit)


async def apply_provider_result(session: AsyncSession, result: ProviderResult) -> CallbackOutcome:
    """Paid or failed at the provider → ``wallet.payout.paid|failed`` (the ledger settles or releases)."""
    return await FLOW.apply_provider_result(session, result)


async def read_payout(session: AsyncSession, principal: Principal, payout_id: str) -> Payout:
    return await FLOW.read(session, principal, payout_id)


async def list_payouts(
    session: AsyncSession, reader: Reader, params: PageParams, *, status: str | None = None
) -> tuple[Sequence[Payout], bool]:
    """The payouts of the accounts the reader holds (operators: all), oldest first; only ``status`` when given."""
    return await FLOW.list_for(session, reader, params, status=status)


def payout_out(p: Payout) -> PayoutOut:
    return PayoutOut.model_validate(
        {
            "id": p.id,
            "account_id": p.account_id,
            "amount": money_of(p),
            "provider": p.provider,
            "status": p.status,
            "reason": p.reason,
            "sandbox": p.sandbox,
            "created_at": p.created_at,
            "updated_at": p.updated_at,
            "completed_at": p.completed_at,
        }
    )
