"""Queries on sign-in credentials."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.accounts.models import Account
from trickle_wallet.sign_in.models import SignInCredential


async def credential_by_email_key(
    session: AsyncSession, email_key: str, *, for_update: bool = False
) -> tuple[SignInCredential, Account] | None:
    """The credential of an address (its key) and its account, or ``None``."""
    stmt = (
        select(SignInCredential, Account)
        .join(Account, Account.id == SignInCredential.account_id)
        .where(SignInCredential.email_key == email_key)
    )
    if for_update:
        stmt = stmt.with_for_update(of=SignInCredential)
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def credential_of(
    session: AsyncSession, account_id: str, *, for_update: bool = False
) -> tuple[SignInCredential, Account] | None:
    """The account's credential and the account, or ``None`` (no credential: an API-key-only account)."""
    stmt = (
        select(SignInCredential, Account)
        .join(Account, Account.id == SignInCredential.account_id)
        .where(SignInCredential.account_id == account_id)
    )
    if for_update:
        stmt = stmt.with_for_update(of=SignInCredential)
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def email_key_taken(session: AsyncSession, email_key: str) -> bool:
    stmt = select(SignInCredential.account_id).where(SignInCredential.email_key == email_key)
    return (await session.execute(stmt)).first() is not None
