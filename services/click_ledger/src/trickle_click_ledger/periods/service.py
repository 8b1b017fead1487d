"""The period calendar's reads: the open period (opened on a fresh installation), one period, all.

The seal, which moves the calendar on, is the ``seal`` package's; the calendar lock and the
open period under it are in ``periods/lock.py``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Period
from trickle_click_ledger.periods.lock import bootstrap_period
from trickle_kit.pagination import PageParams, paginate
from trickle_kit.problems import not_found


async def ensure_open_period(session: AsyncSession, now: datetime) -> Period:
    """The open period (opening the current month on a fresh installation).

    Read first: the bootstrap insert runs only when nothing is open (widgets and the
    scheduler call this all the time)."""
    for _ in range(2):
        period = (await session.execute(select(Period).where(Period.state == "open"))).scalar_one_or_none()
        if period is not None:
            return period
        await bootstrap_period(session, now)
    raise RuntimeError("no open period")


async def get_period(session: AsyncSession, period_id: str) -> Period:
    period = (await session.execute(select(Period).where(Period.id == period_id))).scalar_one_or_none()
    if period is None:
        raise not_found("Period", period_id)
    return period


async def list_periods(session: AsyncSession, page: PageParams) -> tuple[list[Period], bool]:
    rows, has_more = await paginate(session, select(Period), Period.id, page)
    return list(rows), has_more
