"""Queries on things."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Thing


async def get(session: AsyncSession, thing_id: str, *, for_update: bool = False) -> Thing | None:
    stmt = select(Thing).where(Thing.id == thing_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_by_url(session: AsyncSession, url: str) -> Thing | None:
    return (await session.execute(select(Thing).where(Thing.url == url))).scalar_one_or_none()


async def insert_if_absent(session: AsyncSession, values: dict[str, object]) -> Thing | None:
    """Insert a thing unless its URL exists; returns the new row or None."""
    stmt = insert(Thing).values(**values).on_conflict_do_nothing(index_elements=[Thing.url]).returning(Thing)
    return (await session.execute(stmt)).scalar_one_or_none()
