"""Delivery outcomes built without a delivery (for the pure health rule and the outcome writer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trickle_webhook.delivery.dispatcher import Claimed, Outcome
from trickle_webhook.delivery.sender import FAILED, SUCCEEDED, AttemptResult

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def outcome(endpoint: str, second: int, ok: bool) -> Outcome:
    at = T0 + timedelta(seconds=second)
    claimed = Claimed("msg", endpoint, "https://e.example/", "{}", 1, 1, ["whsec_x"], T0)
    return Outcome(claimed, AttemptResult(SUCCEEDED if ok else FAILED, 200 if ok else 500, 5, at, at))
