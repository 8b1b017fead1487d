"""Queries on accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.accounts.models import Account


async def get_account(session: AsyncSession, account_id: str, *, for_update: bool = False) -> Account | None:
    stmt = select(Account).where(Account.id == account_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def email_taken(session: AsyncSession, email: str) -> bool:
    return (await session.execute(select(Account.id).where(Account.email == email))).first() is not None
