"""The figures' reads: which closes to show and when they moved, the trial balance's difference.

How far a close has got is ``close.progress`` (one rule, shared with ``GET /v1/periods/{period}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The closes running, and the last one closed (its final figures stay visible until the next);
# when each last moved: its start, a batch or a shard done (each moves its shard's updated_at), its end.
_CLOSES = text(
    """
    WITH shown AS (
        SELECT period, status, started_at, closed_at FROM close_periods WHERE status = 'closing'
        UNION ALL
        (SELECT period, status, started_at, closed_at FROM close_periods
          WHERE status = 'closed' ORDER BY closed_at DESC NULLS LAST LIMIT 1)
    )
    SELECT s.period, s.status, s.started_at, s.closed_at,
           (SELECT max(sh.updated_at) FROM close_shards sh WHERE sh.period = s.period) AS shards_moved_at
      FROM shown s
     ORDER BY s.period
    """
)

_TRIAL_BALANCE = text("SELECT currency, sum(normal_sign * balance) FROM ledger_balances GROUP BY currency")


@dataclass(frozen=True)
class Close:
    """A close to show: its status, when it started, ended and last moved."""

    period: str
    status: str
    started_at: datetime | None
    closed_at: datetime | None
    moved_at: datetime | None


async def closes_shown(session: AsyncSession) -> list[Close]:
    """Every close running, and the last one closed."""
    found = []
    for row in await session.execute(_CLOSES):
        moved = [t for t in (row.started_at, row.shards_moved_at, row.closed_at) if t is not None]
        found.append(Close(row.period, row.status, row.started_at, row.closed_at, max(moved) if moved else None))
    return found


async def trial_balance_differences(session: AsyncSession) -> dict[str, int]:
    """Debits minus credits of every balance, per currency (the trial balance's ``difference``)."""
    return {currency: int(total) for currency, total in await session.execute(_TRIAL_BALANCE)}
