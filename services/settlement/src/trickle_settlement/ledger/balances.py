"""Reading ledger balances without locking them (posting locks and checks them again)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_settlement.ledger.chart import AccountRef
from trickle_settlement.ledger.models import LedgerBalance

_BALANCES = text("SELECT account_id, balance FROM ledger_balances WHERE account_id = ANY(:ids)")


async def balances(session: AsyncSession, accounts: Sequence[AccountRef]) -> dict[str, int]:
    """The current balance of each account by id (0 for an account never used); one statement, no lock."""
    ids = [a.id for a in accounts]
    if not ids:
        return {}
    rows = await session.execute(_BALANCES, {"ids": ids})
    found: dict[str, int] = {str(a): int(b) for a, b in rows.tuples().all()}
    return {account_id: found.get(account_id, 0) for account_id in ids}


async def available(session: AsyncSession, account: AccountRef) -> int:
    """The account's current balance (0 when it was never used); no lock."""
    balance = (
        await session.execute(select(LedgerBalance.balance).where(LedgerBalance.account_id == account.id))
    ).scalar_one_or_none()
    return balance or 0
