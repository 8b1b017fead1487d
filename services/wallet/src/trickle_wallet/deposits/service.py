"""Deposits: quote, create, apply the provider's answer, time out. Functions take a session; callers commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_events.wallet import DepositFailed, DepositSucceeded
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.money import Money
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import not_found
from trickle_kit.readable import Reader
from trickle_wallet.accounts import service as accounts
from trickle_wallet.accounts.models import Account
from trickle_wallet.deposits import repository
from trickle_wallet.deposits.fees import DepositQuote, quote_deposit
from trickle_wallet.deposits.models import Deposit
from trickle_wallet.deposits.schemas import DepositCreate, DepositMethod, DepositOut
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.providers.base import ProviderResult
from trickle_wallet.providers.schemas import CallbackOutcome
from trickle_wallet.settings import Settings

log = structlog.get_logger("trickle.wallet.deposits")

TIMEOUT_REASON = "provider_timeout"


async def account_of(session: AsyncSession, account_id: str) -> Account:
    account = (await session.execute(select(Account).where(Account.id == account_id))).scalar_one_or_none()
    if account is None:
        raise not_found("Account", account_id)
    return account


def quote(settings: Settings, account: Account, method: DepositMethod, amount: Money) -> DepositQuote:
    """The fee and net of a deposit, or ``InvalidInput`` naming the input that makes it impossible."""
    rule = settings.deposit_fees.get(method)
    if rule is None:
        raise InvalidInput("method_unavailable", f"Payment method {method} is not offered", "method")
    if amount.currency != account.currency:
        raise InvalidInput(
            "currency_mismatch",
            f"The account holds {account.currency}; deposits in {amount.currency} are not accepted",
            "amount.currency",
        )
    if not settings.deposit_min_amount <= amount.amount <= settings.deposit_max_amount:
        raise InvalidInput(
            "amount_out_of_range",
            f"Deposits must be between {settings.deposit_min_amount} and {settings.deposit_max_amount} minor units",
            "amount.amount",
        )
    result = quote_deposit(amount, rule)
    if result.net.amount <= 0:
        raise InvalidInput("amount_below_fee", "The fee would take the whole amount", "amount.amount")
    return result


async def create_deposit(
    session: AsyncSession, settings: Settings, provider: str, account_id: str, request: DepositCreate
) -> Deposit:
    """A pending deposit at ``provider`` (its name); the caller commits, then starts the payment there."""
    account = await account_of(session, account_id)
    await accounts.lock_active(session, account)
    if request.sandbox is not None and not settings.payments_sandbox:
        raise InvalidInput("sandbox_disabled", "Sandbox instructions are refused outside sandbox mode", "sandbox")
    q = quote(settings, account, request.method, request.amount)
    now = utcnow()
    deposit = Deposit(
        id=new_id("dep"),
        account_id=account.id,
        method=request.method,
        provider=provider,
        currency=q.gross.currency,
        gross=q.gross.amount,
        fee=q.fee.amount,
        net=q.net.amount,
        status="pending",
        sandbox=request.sandbox,
        created_at=now,
        updated_at=now,
        expires_at=now + timedelta(seconds=settings.deposit_timeout_s),
    )
    session.add(deposit)
    await session.flush()
    return deposit


def _money(amount: int, currency: str) -> Money:
    return Money(amount=amount, currency=currency)


async def _succeed(session: AsyncSession, deposit: Deposit, provider_ref: str, now: datetime) -> None:
    deposit.status, deposit.provider_ref, deposit.updated_at, deposit.completed_at = "succeeded", provider_ref, now, now
    await OUTBOX.add(
        session,
        DepositSucceeded(
            deposit_id=deposit.id,
            account_id=deposit.account_id,
            method=deposit.method,
            provider=deposit.provider,
            gross=_money(deposit.gross, deposit.currency),
            fee=_money(deposit.fee, deposit.currency),
            net=_money(deposit.net, deposit.currency),
        ),
    )


async def _fail(session: AsyncSession, deposit: Deposit, reason: str, now: datetime) -> None:
    deposit.status, deposit.failure_reason, deposit.updated_at, deposit.completed_at = "failed", reason, now, now
    await OUTBOX.add(session, DepositFailed(deposit_id=deposit.id, account_id=deposit.account_id, reason=reason))


async def apply_provider_result(session: AsyncSession, result: ProviderResult) -> CallbackOutcome:
    """Apply a provider's (verified) answer. A final status never changes: late or repeated answers are no-ops."""
    deposit = await repository.get_deposit(session, result.reference, for_update=True)
    if deposit is None:
        raise not_found("Deposit", result.reference)
    if result.amount != _money(deposit.gross, deposit.currency):
        raise InvalidInput("amount_mismatch", "The callback's amount is not the deposit's gross", "amount")
    if deposit.status != "pending":
        if result.status not in ("pending", deposit.status):
            # E.g. a success after we timed the deposit out: money may have been collected; an operator refunds.
            log.warning("late_provider_result_ignored", deposit_id=deposit.id, status=deposit.status, got=result.status)
            return "ignored"
        return "unchanged"
    now = utcnow()
    if result.status == "pending":
        deposit.provider_ref, deposit.updated_at = result.provider_ref, now
        return "unchanged"
    if result.status == "succeeded":
        await _succeed(session, deposit, result.provider_ref, now)
    else:
        await _fail(session, deposit, result.reason or "provider_failed", now)
    return "applied"


async def expire_if_due(session: AsyncSession, deposit: Deposit, now: datetime | None = None) -> bool:
    """Fail a pending deposit past its deadline (it must be locked by the caller). True if it was."""
    now = now or utcnow()
    if deposit.status != "pending" or deposit.expires_at > now:
        return False
    await _fail(session, deposit, TIMEOUT_REASON, now)
    return True


async def sweep_expired(sessions: async_sessionmaker[AsyncSession], limit: int = 200) -> int:
    """Fail every pending deposit past its deadline; returns how many. Safe to run in several workers."""
    async with sessions() as session, session.begin():
        now = utcnow()
        expired = await repository.expired_pending(session, now, limit)
        for deposit in expired:
            await expire_if_due(session, deposit, now)
    if expired:
        log.info("deposits_timed_out", count=len(expired))
    return len(expired)


async def read_deposit(session: AsyncSession, principal: Principal, deposit_id: str) -> Deposit:
    """The deposit if the caller may see it; a pending one past its deadline is failed on the way (caller commits)."""
    deposit = await repository.get_deposit(session, deposit_id)
    if deposit is None or not Reader.of(principal).holds(deposit.account_id):
        raise not_found("Deposit", deposit_id)
    if deposit.status == "pending" and deposit.expires_at <= utcnow():
        locked = await repository.get_deposit(session, deposit_id, for_update=True)
        assert locked is not None
        await expire_if_due(session, locked)
        deposit = locked
    return deposit


async def list_deposits(session: AsyncSession, reader: Reader, params: PageParams) -> tuple[Sequence[Deposit], bool]:
    """The deposits of the accounts the reader holds, oldest first."""
    return await paginate(session, reader.scope(select(Deposit), Deposit.account_id), Deposit.id, params)


def deposit_out(deposit: Deposit) -> DepositOut:
    return DepositOut(
        id=deposit.id,
        account_id=deposit.account_id,
        method=deposit.method,
        provider=deposit.provider,
        status=deposit.status,
        gross=_money(deposit.gross, deposit.currency),
        fee=_money(deposit.fee, deposit.currency),
        net=_money(deposit.net, deposit.currency),
        failure_reason=deposit.failure_reason,
        sandbox=deposit.sandbox,
        created_at=deposit.created_at,
        updated_at=deposit.updated_at,
        expires_at=deposit.expires_at,
        completed_at=deposit.completed_at,
    )
