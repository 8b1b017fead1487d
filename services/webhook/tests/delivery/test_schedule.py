"""The retry schedule, its jitter and Retry-After parsing (pure functions)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from trickle_webhook.delivery.schedule import parse_retry_after, retry_delay
from trickle_webhook.settings import DEFAULT_SCHEDULE


def test_the_default_schedule_is_the_one_of_the_spec() -> None:
    assert DEFAULT_SCHEDULE == [0, 5, 300, 1800, 7200, 18000, 36000, 36000]


def test_each_retry_delay_stays_within_twenty_percent_of_the_schedule() -> None:
    rng = random.Random(7)
    for attempts_made in range(1, len(DEFAULT_SCHEDULE)):
        base = DEFAULT_SCHEDULE[attempts_made]
        delays = [retry_delay(DEFAULT_SCHEDULE, attempts_made, 0.2, rng) for _ in range(200)]
        assert all(d is not None and base * 0.8 <= d <= base * 1.2 for d in delays)
        assert len({round(d or 0, 6) for d in delays}) > 1 or base == 0


def test_no_delay_once_the_schedule_is_spent() -> None:
    assert retry_delay(DEFAULT_SCHEDULE, len(DEFAULT_SCHEDULE), 0.2) is None


def test_retry_after_in_seconds_and_as_an_http_date() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
