"""The close's reads and writes: period rows and their locks, seal markers and partition counts, the
patrons and clicks a close run walks.

Escrow contributions are written by ``escrow.repository``; budgets and rates are read through
``projections.accounts``; wallet balances through ``ledger.balances``.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_settlement.close.models import PartitionCount, PeriodClose, SealMarker
from trickle_settlement.split import SplitClick

# Advisory lock namespace of close runs (one runner per period).
_RUN_LOCK = 0x5E771E
# Clicks turned into SplitClicks between two yields to the event loop.
_YIELD_EVERY_CLICKS = 2000


async def lock_run(session: AsyncSession, period: str) -> None:
    """Wait until no other runner runs ``period``'s close, then hold its lock (session level)."""
    await session.execute(select(func.pg_advisory_lock(_RUN_LOCK, func.hashtext(period))))


async def unlock_run(session: AsyncSession, period: str) -> None:
    await session.execute(select(func.pg_advisory_unlock(_RUN_LOCK, func.hashtext(period))))


async def _ensure_period(session: AsyncSession, period: str) -> None:
    await session.execute(insert(PeriodClose).values(period=period).on_conflict_do_nothing())


async def lock_period(session: AsyncSession, period: str) -> PeriodClose:
    """The period's close row (created open), locked for update and read afresh."""
    await _ensure_period(session, period)
    return (
        await session.execute(
            select(PeriodClose)
            .where(PeriodClose.period == period)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()


async def share_period(session: AsyncSession, period: str) -> PeriodClose:
    """The period's close row (created open), share-locked so a close cannot start under our feet."""
    await _ensure_period(session, period)
    return (
        await session.execute(select(PeriodClose).where(PeriodClose.period == period).with_for_update(read=True))
    ).scalar_one()


async def get_period(session: AsyncSession, period: str) -> PeriodClose | None:
    return (await session.execute(select(PeriodClose).where(PeriodClose.period == period))).scalar_one_or_none()


async def periods_closing(session: AsyncSession) -> list[str]:
    """Periods whose close has started and not finished."""
    rows = await session.execute(select(PeriodClose.period).where(PeriodClose.status == "closing"))
    return sorted(rows.scalars())


async def seal_markers(session: AsyncSession, period: str) -> list[SealMarker]:
    """The period's seal markers, by partition."""
    rows = await session.execute(select(SealMarker).where(SealMarker.period == period).order_by(SealMarker.partition))
    return list(rows.scalars())


async def record_seal_marker(
    session: AsyncSession, period: str, partition: int, *, partitions: int, click_count: int, revoked_count: int
) -> None:
    values = {"partitions": partitions, "click_count": click_count, "revoked_count": revoked_count}
    await session.execute(
        insert(SealMarker)
        .values(period=period, partition=partition, **values)
        .on_conflict_do_update(index_elements=[SealMarker.period, SealMarker.partition], set_=values)
    )


async def partition_counts(session: AsyncSession, period: str) -> dict[int, PartitionCount]:
    rows = await session.execute(select(PartitionCount).where(PartitionCount.period == period))
    return {c.partition: c for c in rows.scalars()}


async def add_to_partition_count(
    session: AsyncSession, period: str, partition: int, *, registered: int, revoked: int
) -> None:
    stmt = insert(PartitionCount).values(period=period, partition=partition, registered=registered, revoked=revoked)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[PartitionCount.period, PartitionCount.partition],
            set_={
                "registered": PartitionCount.registered + registered,
                "revoked": PartitionCount.revoked + revoked,
            },
        )
    )


async def next_patrons(session: AsyncSession, period: str, after: str | None, limit: int) -> list[str]:
    """Up to ``limit`` patrons with clicks in the period after ``after``, in patron-id order."""
    rows = await session.execute(
        text(
            "SELECT DISTINCT patron_id FROM close_clicks WHERE period = :period AND revoked_at IS NULL "
            "AND patron_id > :after ORDER BY patron_id LIMIT :limit"
        ),
        {"period": period, "after": after or "", "limit": limit},
    )
    return [r[0] for r in rows]


async def clicks_of(session: AsyncSession, period: str, after: str | None, last: str) -> dict[str, list[SplitClick]]:
    """The unrevoked clicks of patrons in (``after``, ``last``], by patron."""
    # Straight from the driver: a batch is tens of thousands of rows, and SQLAlchemy's row
    # processing cost more than the query.
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    rows = await raw.fetch(  # type: ignore[union-attr]
        "SELECT patron_id, click_id, thing_id, owner_id, weight, clicked_at FROM close_clicks "
        "WHERE period = $1 AND revoked_at IS NULL AND patron_id > $2 AND patron_id <= $3",
        period,
        after or "",
        last,
    )
    clicks: dict[str, list[SplitClick]] = defaultdict(list)
    for n, (patron_id, click_id, thing_id, owner_id, weight, clicked_at) in enumerate(rows, 1):
        if n % _YIELD_EVERY_CLICKS == 0:
            await asyncio.sleep(0)
        clicks[patron_id].append(SplitClick(click_id, thing_id, weight, clicked_at, owner_id))
    return clicks
