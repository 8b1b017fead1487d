"""Small ledger helpers of the tests: fund a wallet through the ledger, read a balance, name accounts."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_settlement.ledger import chart
from trickle_settlement.ledger.journal import Leg, NewEntry
from trickle_settlement.ledger.models import LedgerBalance
from trickle_settlement.ledger.posting import post_entry


def acct() -> str:
    """An account id no other test uses."""
    return f"acct_{uuid.uuid4().hex}"


async def fund(sessions: async_sessionmaker[AsyncSession], account_id: str, amount: int) -> None:
    """Credit ``account_id``'s wallet with ``amount`` (from the sandbox provider's clearing), in one balanced entry."""
    async with sessions() as s, s.begin():
        await post_entry(
            s,
            NewEntry(
                idempotency_key=f"test-fund:{uuid.uuid4().hex}",
                kind="deposit",
                currency="EUR",
                legs=[
                    Leg(chart.provider_clearing("sandbox", "EUR"), amount),
                    Leg(chart.patron_wallet(account_id, "EUR"), -amount),
                ],
            ),
        )


async def balance(sessions: async_sessionmaker[AsyncSession], account_id: str) -> int:
    """A ledger account's balance in its natural sign (0 when never used)."""
    async with sessions() as s:
        found = (
            await s.execute(select(LedgerBalance.balance).where(LedgerBalance.account_id == account_id))
        ).scalar_one_or_none()
    return int(found or 0)
