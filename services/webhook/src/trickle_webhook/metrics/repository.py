"""The figures' reads: enabled endpoints in a failing spell, and the longest spell."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_FAILING = text(
    """
    SELECT count(*), coalesce(extract(epoch FROM now() - min(failing_since)), 0)
      FROM webhook_endpoints WHERE enabled AND failing_since IS NOT NULL
    """
)


async def failing_endpoints(session: AsyncSession) -> tuple[int, float]:
    """(enabled endpoints failing, seconds the longest of them has failed)."""
    count, longest = (await session.execute(_FAILING)).one()
    return int(count), float(longest)
