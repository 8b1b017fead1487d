"""Queries on deposits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_wallet.deposits.models import Deposit


async def get_deposit(session: AsyncSession, deposit_id: str, *, for_update: bool = False) -> Deposit | None:
    stmt = select(Deposit).where(Deposit.id == deposit_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def expired_pending(session: AsyncSession, now: datetime, limit: int) -> Sequence[Deposit]:
    """Pending deposits past their deadline, locked; rows another sweeper holds are skipped."""
    stmt = (
        select(Deposit)
        .where(Deposit.status == "pending", Deposit.expires_at <= now)
        .order_by(Deposit.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(stmt)).scalars().all()
