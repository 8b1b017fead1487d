"""Refusals the ledger remembers, so that a request asked again gets the same answer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_settlement.money_flows.models import Refusal


async def refusal_of(session: AsyncSession, request_key: str) -> str | None:
    """The reason a request was refused before, if it was."""
    return (
        await session.execute(select(Refusal.reason).where(Refusal.request_key == request_key))
    ).scalar_one_or_none()


async def remember_refusal(session: AsyncSession, request_key: str, reason: str) -> None:
    await session.execute(insert(Refusal).values(request_key=request_key, reason=reason).on_conflict_do_nothing())
