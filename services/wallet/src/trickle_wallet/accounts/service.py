"""Accounts: registration, profile changes, non-profit flag and commission rate."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.wallet import AccountCreated, AccountUpdated
from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.errors import InvalidInput
from trickle_kit.ids import new_id
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import ProblemError, conflict, not_found
from trickle_kit.readable import Reader
from trickle_wallet.accounts import repository
from trickle_wallet.accounts.models import Account
from trickle_wallet.accounts.schemas import AccountCreate, AccountUpdate
from trickle_wallet.credentials.service import NewApiKey, create_api_key
from trickle_wallet.oauth.grants import revoke_all_for_account
from trickle_wallet.outbox import OUTBOX
from trickle_wallet.settings import Settings


def account_state(account: Account) -> dict[str, object]:
    return {
        "account_id": account.id,
        "display_name": account.display_name,
        "kind": account.kind,
        "currency": account.currency,
        "non_profit": account.non_profit,
        "giving_public": account.giving_public,
        "commission_bps": account.commission_bps,
        "suspended": account.suspended,
        "deleted": account.deleted_at is not None,
    }


def ensure_not_deleted(account: Account) -> None:
    """A deleted account changes no more (409 ``account_deleted``); reading it still works."""
    if account.deleted_at is not None:
        raise ProblemError(409, "account_deleted", "Account deleted", f"Account {account.id} was deleted")


def ensure_active(account: Account) -> None:
    """The one rule for new money flows and clicks: refused (409) while the account is suspended or deleted.

    Reads, the ledger's answers and money already in flight are not affected: suspension keeps the money.
    """
    ensure_not_deleted(account)
    if account.suspended:
        raise ProblemError(
            409,
            "account_suspended",
            "Account suspended",
            f"Account {account.id} is suspended by an operator: no new deposits, tips, payouts or clicks",
        )


async def lock_active(session: AsyncSession, account: Account) -> None:
    """``ensure_active`` on the account's row as committed now, held (FOR SHARE) until the caller commits: a
    deletion or suspension cannot slip between the check and the new deposit, tip or payout."""
    await session.refresh(account, with_for_update={"read": True})
    ensure_active(account)


async def lock_not_deleted(session: AsyncSession, account: Account) -> None:
    """``ensure_not_deleted`` on the row as committed now, held (FOR UPDATE) until the caller commits: what a
    suspended account may still do with its money (a refund of its wallet) cannot race its deletion, nor another
    such request of the same account (each sees what the one before it asked for)."""
    await session.refresh(account, with_for_update=True)
    ensure_not_deleted(account)


async def get_account_for(
    session: AsyncSession, principal: Principal, account_id: str, *, for_update: bool = False
) -> Account:
    """The account if the caller holds it (or is an operator); 404 otherwise (never reveal others' accounts)."""
    if not Reader.of(principal).holds(account_id):
        raise not_found("Account", account_id)
    account = await repository.get_account(session, account_id, for_update=for_update)
    if account is None:
        raise not_found("Account", account_id)
    return account


async def register(session: AsyncSession, settings: Settings, data: AccountCreate) -> tuple[Account, NewApiKey]:
    """A new account, its first API key (all account scopes) and ``wallet.account.created``."""
    account = await open_account(
        session, settings, display_name=data.display_name, email=data.email, kind=data.kind, currency=data.currency
    )
    key = await create_api_key(session, account.id, name="default", scopes=None, granted_by=None)
    return account, key


async def open_account(
    session: AsyncSession, settings: Settings, *, display_name: str, email: str, kind: str, currency: str
) -> Account:
    """A new account (no credential yet) and ``wallet.account.created``; 409 ``email_taken`` if the address has one."""
    if currency not in settings.currencies:
        raise InvalidInput(
            "unsupported_currency",
            f"This deployment holds {', '.join(settings.currencies)}; not {currency}",
            "currency",
        )
    email = email.lower()
    if await repository.email_taken(session, email):
        raise conflict("email_taken", "An account with this email already exists")
    now = utcnow()
    account = Account(
        id=new_id("acct"),
        display_name=display_name,
        email=email,
        kind=kind,
        currency=currency,
        non_profit=False,
        giving_public=False,
        commission_bps=settings.default_commission_bps,
        created_at=now,
        updated_at=now,
    )
    session.add(account)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration with the same email won
        raise conflict("email_taken", "An account with this email already exists") from exc
    await OUTBOX.add(session, AccountCreated.model_validate(account_state(account)))
    return account


async def _changed(session: AsyncSession, account: Account) -> None:
    account.updated_at = utcnow()
    await session.flush()
    await OUTBOX.add(session, AccountUpdated.model_validate(account_state(account)))


async def update(session: AsyncSession, principal: Principal, account_id: str, data: AccountUpdate) -> Account:
    account = await get_account_for(session, principal, account_id, for_update=True)
    ensure_not_deleted(account)
    changed = False
    if data.display_name is not None and data.display_name != account.display_name:
        account.display_name, changed = data.display_name, True
    if data.giving_public is not None and data.giving_public != account.giving_public:
        account.giving_public, changed = data.giving_public, True
    if changed:
        await _changed(session, account)
    return account


async def _for_operator(session: AsyncSession, account_id: str) -> Account:
    account = await repository.get_account(session, account_id, for_update=True)
    if account is None:
        raise not_found("Account", account_id)
    return account


async def suspend(session: AsyncSession, account_id: str, reason: str) -> Account:
    """Operator action: no new clicks, deposits, tips or payouts; the money stays. Repeating it keeps the first time
    and updates the reason."""
    account = await _for_operator(session, account_id)
    ensure_not_deleted(account)
    if not account.suspended or account.suspended_reason != reason:
        if not account.suspended:
            account.suspended, account.suspended_at = True, utcnow()
        account.suspended_reason = reason
        await _changed(session, account)
    # Its people are signed out and its authorized apps stop refreshing.
    await revoke_all_for_account(session, account.id, "account_suspended")
    return account


async def unsuspend(session: AsyncSession, account_id: str) -> Account:
    """Operator action: the account may act again (a deleted account stays as it is)."""
    account = await _for_operator(session, account_id)
    ensure_not_deleted(account)
    if account.suspended:
        account.suspended, account.suspended_at, account.suspended_reason = False, None, None
        await _changed(session, account)
    return account


async def set_non_profit(session: AsyncSession, settings: Settings, account_id: str, non_profit: bool) -> Account:
    """Operator action: non-profits pay 0 commission; unflagging restores the default rate."""
    account = await repository.get_account(session, account_id, for_update=True)
    if account is None:
        raise not_found("Account", account_id)
    if account.non_profit != non_profit:
        account.non_profit = non_profit
        account.commission_bps = 0 if non_profit else settings.default_commission_bps
        await _changed(session, account)
    return account


async def set_commission(session: AsyncSession, account_id: str, commission_bps: int) -> Account:
    """Operator action: a specific commission rate (a non-profit's stays 0)."""
    account = await repository.get_account(session, account_id, for_update=True)
    if account is None:
        raise not_found("Account", account_id)
    if account.non_profit and commission_bps != 0:
        raise ProblemError(409, "account_is_non_profit", "Conflict", "A non-profit pays no commission; unflag it first")
    if account.commission_bps != commission_bps:
        account.commission_bps = commission_bps
        await _changed(session, account)
    return account


async def find_accounts(
    session: AsyncSession, principal: Principal, *, email: str | None, q: str | None, page: PageParams
) -> tuple[list[Account], bool]:
    """Accounts the caller may read that match ``email`` / ``q``, one page in id order; (rows, has_more)."""
    stmt = Reader.of(principal).scope(select(Account), Account.id)
    rows, has_more = await paginate(session, repository.search_statement(stmt, email=email, q=q), Account.id, page)
    return list(rows), has_more
