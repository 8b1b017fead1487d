"""Period arithmetic on ``YYYY-MM`` names (pure, UTC calendar months)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse(period: str) -> tuple[int, int]:
    """(year, month) of a period name; ValueError if it is not ``YYYY-MM``."""
    match = _PERIOD.match(period)
    if not match:
        raise ValueError(f"not a period: {period!r}")
    return int(match.group(1)), int(match.group(2))


def period_of(moment: datetime) -> str:
    """The period containing ``moment`` (converted to UTC)."""
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc.month:02d}"


def add_periods(period: str, n: int) -> str:
    """The period ``n`` months after (or before, n < 0) ``period``."""
    year, month = parse(period)
    index = year * 12 + (month - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def next_period(period: str) -> str:
    return add_periods(period, 1)


def starts_at(period: str) -> datetime:
    year, month = parse(period)
    return datetime(year, month, 1, tzinfo=UTC)


def ends_at(period: str) -> datetime:
    """The first instant after the period (the start of the next month, UTC)."""
    return starts_at(next_period(period))
