"""Queries on accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.accounts.models import Account


async def get_account(session: AsyncSession, account_id: str, *, for_update: bool = False) -> Account | None:
    stmt = select(Account).where(Account.id == account_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def email_taken(session: AsyncSession, email: str) -> bool:
    return (await session.execute(select(Account.id).where(Account.email == email))).first() is not None


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_statement(stmt: Select[Any], *, email: str | None, q: str | None) -> Select[Any]:
    """Narrow ``stmt`` to accounts whose email is ``email`` (any case) and whose id, name or email contains ``q``."""
    if email is not None:
        stmt = stmt.where(func.lower(Account.email) == email.strip().lower())
    if q is not None:
        pattern = _like(q.strip())
        stmt = stmt.where(
            or_(Account.id.ilike(pattern), Account.display_name.ilike(pattern), Account.email.ilike(pattern))
        )
    return stmt
