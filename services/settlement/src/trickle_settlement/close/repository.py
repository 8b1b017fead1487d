"""The close's reads and writes: period rows and their locks, seal markers and partition counts, the
shards of a close and their leases, the patrons and clicks a close run walks.

Escrow contributions are written by ``escrow.repository``; budgets and rates are read through
``projections.accounts``; wallet balances through ``ledger.balances``.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_settlement.close.models import CloseShard, PartitionCount, PeriodClose, SealMarker
from trickle_settlement.split import SplitClick

# Clicks turned into SplitClicks between two yields to the event loop.
_YIELD_EVERY_CLICKS = 2000
_new_tuple = tuple.__new__


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


async def next_patrons(
    session: AsyncSession, period: str, after: str | None, limit: int, upto: str | None = None
) -> list[str]:
    """Up to ``limit`` patrons with clicks in the period after ``after`` (and up to ``upto``), in patron-id order."""
    rows = await session.execute(
        text(
            "SELECT DISTINCT patron_id FROM close_clicks WHERE period = :period AND revoked_at IS NULL "
            "AND patron_id > :after AND (CAST(:upto AS text) IS NULL OR patron_id <= :upto) "
            "ORDER BY patron_id LIMIT :limit"
        ),
        {"period": period, "after": after or "", "upto": upto, "limit": limit},
    )
    return [r[0] for r in rows]


async def shards_of(session: AsyncSession, period: str) -> list[CloseShard]:
    """The period's shards, in patron order (none before the close first runs)."""
    rows = await session.execute(select(CloseShard).where(CloseShard.period == period).order_by(CloseShard.shard))
    return list(rows.scalars())


# What the statements that read a whole period's clicks at once (the start's reconciliation and
# freeze, the shard cut) may sort and hash in memory. With PostgreSQL's default 4 MB, reconciling
# 1,000,000 clicks with their things sorted them on disk for a merge join (2.0-3.6 s) where a hash
# join took 0.9 s, and the cut's and the freeze's distinct patrons spilled too; every worker waits
# for these. SET LOCAL: this transaction only.
PERIOD_SCAN_WORK_MEM = "64MB"


async def room_for_period_scans(session: AsyncSession) -> None:
    """Give the rest of this transaction ``PERIOD_SCAN_WORK_MEM`` to sort and hash in."""
    await session.execute(text(f"SET LOCAL work_mem = '{PERIOD_SCAN_WORK_MEM}'"))


async def end_period_scans(session: AsyncSession) -> None:
    """The rest of this transaction back to the session's ``work_mem``."""
    await session.execute(text("SET LOCAL work_mem TO DEFAULT"))


async def cut_shards(session: AsyncSession, period: str, after: str, shards: int, min_patrons: int) -> tuple[int, int]:
    """Cut the period's patrons after ``after`` into up to ``shards`` ranges of about equal patron counts
    (each of at least ``min_patrons`` patrons when there are enough) and insert them; returns how many
    shards, and how many patrons they hold.

    Boundaries are patron ids of the period's clicks (the database's order, as ``next_patrons``);
    the last shard runs to the end, so there is at least one shard even for a period without clicks.
    One statement: the distinct patrons are gathered once, then counted and cut (three scans of the
    period's clicks before, ~0.85 s each for 1,000,000 clicks while every worker waited).
    """
    await room_for_period_scans(session)
    patrons, cut = (
        await session.execute(_CUT, {"period": period, "after": after, "shards": shards, "min": max(1, min_patrons)})
    ).one()
    bounds: list[str] = []
    for bound in cut or ():
        if not bounds or bound != bounds[-1]:
            bounds.append(bound)
    lows = [after, *bounds]
    highs: list[str | None] = [*bounds, None]
    await session.execute(
        insert(CloseShard),
        [
            {"period": period, "shard": n, "after": lo, "upto": hi, "last_patron_id": lo}
            for n, (lo, hi) in enumerate(zip(lows, highs, strict=True))
        ],
    )
    return len(lows), int(patrons)


# count = max(1, min(shards, patrons // min)); the bounds are the patrons at 1/count … (count-1)/count.
_CUT = text(
    """
    WITH p AS MATERIALIZED (
        SELECT DISTINCT patron_id FROM close_clicks
         WHERE period = :period AND revoked_at IS NULL AND patron_id > :after
    ), n AS (
        SELECT count(*) AS patrons, greatest(1, least(CAST(:shards AS int), count(*) / CAST(:min AS int))) AS k FROM p
    )
    SELECT n.patrons,
           CASE WHEN n.k > 1 THEN (
               SELECT percentile_disc(ARRAY(SELECT g::float8 / n.k FROM generate_series(1, n.k - 1) AS g))
                      WITHIN GROUP (ORDER BY patron_id)
                 FROM p
           ) END
      FROM n
    """
)


async def lock_shard(session: AsyncSession, period: str, shard: int) -> CloseShard:
    """A shard, locked for update and read afresh."""
    return (
        await session.execute(
            select(CloseShard)
            .where(CloseShard.period == period, CloseShard.shard == shard)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()


async def shard_cursor(session: AsyncSession, period: str, shard: int) -> tuple[str, str | None] | None:
    """An open shard's cursor and end, read without a lock (None when the shard is done)."""
    row = (
        await session.execute(
            select(CloseShard.last_patron_id, CloseShard.upto).where(
                CloseShard.period == period, CloseShard.shard == shard, CloseShard.status == "open"
            )
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1])


async def open_shards(session: AsyncSession, period: str) -> list[int]:
    """Shards of the period not done yet, read afresh."""
    rows = await session.execute(
        select(CloseShard.shard)
        .where(CloseShard.period == period, CloseShard.status == "open")
        .order_by(CloseShard.shard)
    )
    return list(rows.scalars())


def _lease_key(period: str, shard: int) -> tuple[ColumnElement[int], int]:
    return func.hashtext(f"trickle.close_shard:{period}"), shard


async def try_lease_shard(session: AsyncSession, period: str, shard: int) -> bool:
    """Lease a shard for this connection unless another holds it (an advisory lock, session level: a
    worker that dies loses its lease with its connection). The ``SKIP LOCKED`` of shards."""
    key, n = _lease_key(period, shard)
    return bool((await session.execute(select(func.pg_try_advisory_lock(key, n)))).scalar_one())


async def wait_lease_shard(session: AsyncSession, period: str, shard: int) -> None:
    """Wait until the shard's holder lets go of it (done, or dead), then hold its lease."""
    key, n = _lease_key(period, shard)
    await session.execute(select(func.pg_advisory_lock(key, n)))


async def release_shard(session: AsyncSession, period: str, shard: int) -> None:
    key, n = _lease_key(period, shard)
    await session.execute(select(func.pg_advisory_unlock(key, n)))


async def clicks_of(session: AsyncSession, period: str, after: str | None, last: str) -> dict[str, list[SplitClick]]:
    """The unrevoked clicks of patrons in (``after``, ``last``], by patron."""
    # Straight from the driver: a batch is tens of thousands of rows, and SQLAlchemy's row
    # processing cost more than the query.
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    # Columns in SplitClick's order, then the patron: a row's first five are a SplitClick's fields.
    rows = await raw.fetch(  # type: ignore[union-attr]
        "SELECT click_id, thing_id, weight, clicked_at, owner_id, patron_id FROM close_clicks "
        "WHERE period = $1 AND revoked_at IS NULL AND patron_id > $2 AND patron_id <= $3",
        period,
        after or "",
        last,
    )
    clicks: dict[str, list[SplitClick]] = defaultdict(list)
    for start in range(0, len(rows), _YIELD_EVERY_CLICKS):
        if start:
            await asyncio.sleep(0)
        for row in rows[start : start + _YIELD_EVERY_CLICKS]:
            # SplitClick(*row[:5]) without the named tuple's Python-level __new__ (a million clicks a close).
            clicks[row[5]].append(_new_tuple(SplitClick, row[:5]))
    return clicks
