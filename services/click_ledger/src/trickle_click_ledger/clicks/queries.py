"""What other rooms read of clicks (the seal's counts, the widgets' counts): reads only.

Other packages read clicks here, never through ``clicks.repository`` (the click room's own).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Click


async def counts_by_partition(session: AsyncSession, period: str) -> dict[int, tuple[int, int]]:
    """partition → (click records, revoke records) of the period."""
    stmt = (
        select(Click.partition, func.count(), func.count(Click.revoked_at))
        .where(Click.period == period)
        .group_by(Click.partition)
    )
    return {int(p): (int(c), int(r)) for p, c, r in (await session.execute(stmt)).all()}


async def live_counts(session: AsyncSession, thing_id: str, period: str) -> tuple[int, int]:
    """Live (not revoked) clicks on a thing: (in ``period``, of all time), in one scan."""
    stmt = select(func.count().filter(Click.period == period), func.count()).where(
        Click.thing_id == thing_id, Click.revoked_at.is_(None)
    )
    in_period, all_time = (await session.execute(stmt)).one()
    return int(in_period), int(all_time)
