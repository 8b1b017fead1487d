from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from trickle_click_ledger.periods.calendar import add_periods, ends_at, next_period, parse, period_of, starts_at


def test_periods_are_utc_calendar_months() -> None:
    assert period_of(datetime(2026, 11, 30, 23, 59, tzinfo=UTC)) == "2026-11"
    # 00:30 on 1 December in Berlin is still November in UTC.
    assert period_of(datetime(2026, 12, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))) == "2026-11"
    assert starts_at("2026-11") == datetime(2026, 11, 1, tzinfo=UTC)
    assert ends_at("2026-12") == datetime(2027, 1, 1, tzinfo=UTC)


def test_period_arithmetic_crosses_years() -> None:
    assert next_period("2026-12") == "2027-01"
    assert add_periods("2026-11", 11) == "2027-10"
    assert add_periods("2027-01", -1) == "2026-12"
    assert add_periods("2026-11", 0) == "2026-11"


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "26-11", "2026-1", "2026/11", ""])
def test_malformed_period_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse(bad)
