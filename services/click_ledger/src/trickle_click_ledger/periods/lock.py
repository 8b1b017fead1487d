"""The period calendar's lock and the open period under it: what every click writer and the seal take.

One transaction-level advisory lock orders clicks against the seal: everything that writes
a click (or revokes one) holds it *shared* until it commits, the seal holds it *exclusive*.
See docs/periods.md for why this puts every click in exactly one period.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_click_ledger.models import Period
from trickle_click_ledger.periods.calendar import period_of

# hashtext('trickle_click_ledger_period_calendar'), spelled out so every process agrees.
CALENDAR_LOCK = 0x436C6B50  # "ClkP"
MAX_OPEN_PERIOD_ATTEMPTS = 5
# Built once. Click writes take the same lock inside ``write_clicks`` (migration 0008).
_LOCK_SHARED = select(func.pg_advisory_xact_lock_shared(CALENDAR_LOCK))


async def lock_calendar_shared(session: AsyncSession) -> None:
    """Until this transaction ends, no seal can start (a running seal is waited for)."""
    await session.execute(_LOCK_SHARED)


async def lock_calendar_exclusive(session: AsyncSession) -> None:
    """Waits for every click transaction in flight to end, and keeps new ones out until commit."""
    await session.execute(select(func.pg_advisory_xact_lock(CALENDAR_LOCK)))


async def open_period_id(session: AsyncSession) -> str | None:
    return (await session.execute(select(Period.id).where(Period.state == "open"))).scalar_one_or_none()


async def bootstrap_period(session: AsyncSession, now: datetime) -> None:
    """Open the current month if no period is open (a new installation); a no-op otherwise."""
    await session.execute(
        text(
            "INSERT INTO periods (id, state) SELECT :p, 'open' "
            "WHERE NOT EXISTS (SELECT 1 FROM periods WHERE state = 'open') ON CONFLICT DO NOTHING"
        ),
        {"p": period_of(now)},
    )


async def current_period_locked(session: AsyncSession, now: datetime) -> str:
    """Take the calendar lock (shared) and return the open period, which cannot change before commit.

    The lock is taken before the period is read, in separate statements: the read's
    snapshot is then younger than any seal that finished while we waited for the lock.
    """
    await lock_calendar_shared(session)
    for _ in range(MAX_OPEN_PERIOD_ATTEMPTS):
        period = await open_period_id(session)
        if period is not None:
            return period
        await bootstrap_period(session, now)
    raise RuntimeError("no open period could be found or opened")
