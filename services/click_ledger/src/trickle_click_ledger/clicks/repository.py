"""Queries on clicks."""

from __future__ import annotations

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Account, Click


async def insert_live_click(session: AsyncSession, values: dict[str, object]) -> Click | None:
    """Insert the click unless the patron already has a live click on the thing in the period.

    ``public`` is read from the patron's privacy choice in the same statement.
    """
    public = func.coalesce(
        select(Account.giving_public).where(Account.id == values["patron_id"]).scalar_subquery(), literal(False)
    )
    stmt = (
        insert(Click)
        .values(**values, public=public)
        .on_conflict_do_nothing(
            index_elements=[Click.patron_id, Click.thing_id, Click.period],
            index_where=Click.revoked_at.is_(None),
        )
        .returning(Click)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def live_click(session: AsyncSession, patron_id: str, thing_id: str, period: str) -> Click | None:
    stmt = select(Click).where(
        Click.patron_id == patron_id, Click.thing_id == thing_id, Click.period == period, Click.revoked_at.is_(None)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, click_id: str, *, for_update: bool = False) -> Click | None:
    stmt = select(Click).where(Click.id == click_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def counts_by_partition(session: AsyncSession, period: str) -> dict[int, tuple[int, int]]:
    """partition → (click records, revoke records) of the period."""
    stmt = (
        select(Click.partition, func.count(), func.count(Click.revoked_at))
        .where(Click.period == period)
        .group_by(Click.partition)
    )
    return {int(p): (int(c), int(r)) for p, c, r in (await session.execute(stmt)).all()}


async def live_count(session: AsyncSession, thing_id: str, period: str | None = None) -> int:
    stmt = select(func.count()).select_from(Click).where(Click.thing_id == thing_id, Click.revoked_at.is_(None))
    if period is not None:
        stmt = stmt.where(Click.period == period)
    return int((await session.execute(stmt)).scalar_one())
