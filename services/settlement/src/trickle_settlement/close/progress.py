"""How far a close has got: patrons done out of the period's patrons (for operators and the CLI's progress bar).

A patron is done when the shard holding it has moved its cursor past it (settled, or rolled
over), or when the shard is done. The period's patrons are those with an unrevoked click.

Operators poll this (the CLI twice a second, the metrics every 15 s) while the close runs: once
its shards are cut it is read from counts kept as it goes (``close_periods.patrons_total``, each
shard's ``patrons_walked``), not from the period's clicks (5-10 s at 1M clicks). Before that, and
for a close whose shards were cut without those counts, the clicks are counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_PROGRESS = text(
    """
    SELECT count(DISTINCT c.patron_id) AS total,
           count(DISTINCT c.patron_id) FILTER (
               WHERE EXISTS (
                   SELECT FROM close_shards s
                    WHERE s.period = c.period AND c.patron_id > s.after
                      AND (c.patron_id <= s.last_patron_id
                           OR (s.status = 'done' AND (s.upto IS NULL OR c.patron_id <= s.upto)))
               )
               -- settled by a run before the close was cut into shards
               OR c.patron_id <= (SELECT min(s.after) FROM close_shards s WHERE s.period = c.period)
           ) AS done
      FROM close_clicks c
     WHERE c.period = :period AND c.revoked_at IS NULL
    """
)


@dataclass(frozen=True)
class CloseProgress:
    patrons_done: int
    patrons_total: int


_COUNTED = text(
    """
    SELECT p.patrons_total, count(s.shard) AS shards, coalesce(sum(s.patrons_walked), 0) AS walked
      FROM close_periods p LEFT JOIN close_shards s ON s.period = p.period
     WHERE p.period = :period
     GROUP BY p.patrons_total
    """
)


async def close_progress(session: AsyncSession, period: str, status: str) -> CloseProgress:
    """Patrons done / total of ``period``'s close in status ``status`` (open: none done; closed: all)."""
    counted = (await session.execute(_COUNTED, {"period": period})).one_or_none()
    if counted is not None and counted.patrons_total is not None and counted.shards and status != "open":
        total = int(counted.patrons_total)
        done = total if status == "closed" else min(total, int(counted.walked))
        return CloseProgress(patrons_done=done, patrons_total=total)
    total, done = (await session.execute(_PROGRESS, {"period": period})).one()
    if status == "closed":
        done = total
    elif status == "open":
        done = 0
    return CloseProgress(patrons_done=int(done), patrons_total=int(total))
