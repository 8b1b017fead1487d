"""When to try a message again: the retry schedule with jitter, and Retry-After (pure functions)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Answers that carry a Retry-After worth honouring.
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_delay(
    schedule: Sequence[float], attempts_made: int, jitter: float, rng: random.Random | None = None
) -> float | None:
    """Seconds until the next attempt after ``attempts_made`` attempts; None when the schedule is spent.

    ``schedule[i]`` is the delay before attempt ``i + 1``; each retry delay carries ±``jitter``.
    """
    if attempts_made >= len(schedule):
        return None
    base = schedule[attempts_made]
    factor = 1.0 + (rng or random).uniform(-jitter, jitter) if jitter else 1.0
    return max(0.0, base * factor)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
