"""The "any dead letter" alert (``increase(trickle_inbox_dead_letters_total[15m]) > 0``) can see the first one.

Prometheus' ``increase()`` measures from a series' first sample: a series born at 1 (its first
dead letter) shows no increase, so the alert would never fire for a consumer's first dead letter
since its process started. Each consumer's series must therefore be scraped at 0 before any.
"""

from __future__ import annotations

from prometheus_client import REGISTRY
from pydantic import BaseModel

from trickle_kit.inbox import InboxConsumer


class _Noted(BaseModel):
    note: str


async def _never(*_: object) -> None:  # pragma: no cover - never consumed here
    raise AssertionError


def test_a_consumer_scrapes_its_dead_letter_series_at_zero_before_any_dead_letter() -> None:
    InboxConsumer(
        name="opsreview.dead-letter-series",
        topics=["notes", "other.notes"],
        sessions=None,  # type: ignore[arg-type]  # never used: nothing is consumed
        handlers={"noted": _never},
        registry={"noted": _Noted},
        bootstrap="127.0.0.1:1",
        topic_prefix="t1.",
    )
    for topic in ("t1.notes", "t1.other.notes"):
        value = REGISTRY.get_sample_value(
            "trickle_inbox_dead_letters_total", {"consumer": "opsreview.dead-letter-series", "topic": topic}
        )
        assert value == 0.0, f"{topic}: no series before the first dead letter (got {value})"
