"""Refunds of a patron's unspent prepaid balance: the request and its rules; the rest is the outgoing flow that
payouts take too (the ledger's reservation, the provider, its outcome)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger import RefundRejected, RefundReserved
from trickle_events.wallet import RefundFailed, RefundPaid, RefundRequested
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.money import Money
from trickle_kit.pagination import PageParams
from trickle_kit.problems import ProblemError
from trickle_kit.readable import Reader
from trickle_wallet.accounts import service as accounts
from trickle_wallet.balances.service import balances_of
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.outgoing.flow import OutgoingFlow, money_of
from trickle_wallet.providers.base import PaymentOrder, PaymentProvider, ProviderResult
from trickle_wallet.providers.schemas import CallbackOutcome
from trickle_wallet.refunds.models import Refund
from trickle_wallet.refunds.schemas import RefundCreate, RefundOut
from trickle_wallet.settings import Settings


def _paid(r: Refund) -> RefundPaid:
    return RefundPaid(refund_id=r.id, account_id=r.account_id, amount=money_of(r), provider=r.provider)


def _failed(r: Refund) -> RefundFailed:
    return RefundFailed(refund_id=r.id, account_id=r.account_id, amount=money_of(r), reason=r.reason or "failed")


async def _refund(provider: PaymentProvider, order: PaymentOrder) -> str:
    return await provider.refund(order)


FLOW: OutgoingFlow[Refund] = OutgoingFlow("refund", "Refund", Refund, _refund, _paid, _failed)


async def refundable(session: AsyncSession, account_id: str, currency: str) -> int:
    """What may still be asked back: the wallet balance the ledger last reported, less refunds asked for that the
    ledger has not reserved yet (once reserved, they are out of that balance)."""
    wallet = (await balances_of(session, account_id, currency)).wallet.amount
    waiting = (
        await session.execute(
            select(func.coalesce(func.sum(Refund.amount), 0)).where(
                Refund.account_id == account_id, Refund.currency == currency, Refund.status == "requested"
            )
        )
    ).scalar_one()
    return max(0, wallet - int(waiting))


async def request_refund(
    session: AsyncSession, settings: Settings, provider: str, principal: Principal, request: RefundCreate
) -> Refund:
    """A requested refund of the wallet (all of it unless ``request.amount`` says less), to be paid back by
    ``provider``, and its ``wallet.refund.requested`` event; the ledger reserves or rejects it.

    A suspended account may still have its money back (suspension keeps the money, it does not confiscate it);
    a deleted one has nothing left to refund (deletion waits for zero).
    """
    account = await accounts.get_account_for(session, principal, request.account_id)
    await accounts.lock_not_deleted(session, account)
    if request.sandbox is not None and not settings.payments_sandbox:
        raise InvalidInput("sandbox_disabled", "Sandbox instructions are refused outside sandbox mode", "sandbox")
    if request.amount is not None and request.amount.currency != account.currency:
        raise InvalidInput("currency_mismatch", f"The account holds {account.currency}", "amount.currency")
    available = await refundable(session, account.id, account.currency)
    if available <= 0:
        raise ProblemError(
            409, "nothing_to_refund", "Nothing to refund", f"The wallet of {account.id} holds no unspent money"
        )
    amount = Money(amount=available, currency=account.currency) if request.amount is None else request.amount
    if amount.amount > available:
        raise InvalidInput(
            "amount_above_balance",
            f"At most {available} {account.currency} minor units can be refunded: the wallet's unspent balance",
            "amount.amount",
        )
    now = utcnow()
    refund = Refund(
        id=new_id("ref"),
        account_id=account.id,
        currency=amount.currency,
        amount=amount.amount,
        provider=provider,
        sandbox=request.sandbox,
        status="requested",
        created_at=now,
        updated_at=now,
    )
    session.add(refund)
    await session.flush()
    await OUTBOX.add(
        session, RefundRequested(refund_id=refund.id, account_id=refund.account_id, amount=amount, provider=provider)
    )
    return refund


async def on_refund_reserved(session: AsyncSession, event: RefundReserved) -> None:
    await FLOW.on_reserved(session, event.refund_id, event.amount, event.entry_id)


async def on_refund_rejected(session: AsyncSession, event: RefundRejected) -> None:
    await FLOW.on_rejected(session, event.refund_id, event.amount, event.reason)


async def apply_provider_result(session: AsyncSession, result: ProviderResult) -> CallbackOutcome:
    """Paid or failed at the provider → ``wallet.refund.paid|failed`` (the ledger settles or releases)."""
    return await FLOW.apply_provider_result(session, result)


async def read_refund(session: AsyncSession, principal: Principal, refund_id: str) -> Refund:
    return await FLOW.read(session, principal, refund_id)


async def list_refunds(
    session: AsyncSession, reader: Reader, params: PageParams, *, status: str | None = None
) -> tuple[Sequence[Refund], bool]:
    """The refunds of the accounts the reader holds (operators: all), oldest first; only ``status`` when given."""
    return await FLOW.list_for(session, reader, params, status=status)


def refund_out(r: Refund) -> RefundOut:
    return RefundOut.model_validate(
        {
            "id": r.id,
            "account_id": r.account_id,
            "amount": money_of(r),
            "provider": r.provider,
            "status": r.status,
            "reason": r.reason,
            "sandbox": r.sandbox,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "completed_at": r.completed_at,
        }
    )
