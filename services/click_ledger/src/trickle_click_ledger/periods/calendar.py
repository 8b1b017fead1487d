"""Period arithmetic on ``YYYY-MM`` names (pure, UTC calendar months)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

# A period's name, ``YYYY-MM``: also the pattern of every ``period`` query parameter.
PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_PERIOD = re.compile(PERIOD_PATTERN)


def parse(period: str) -> tuple[int, int]:
    """(year, month) of a period name; ValueError if it is not ``YYYY-MM``."""
    if not _PERIOD.match(period):
        raise ValueError(f"not a period: {period!r}")
    year, month = period.split("-")
    return int(year), int(month)


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
