"""Which endpoints a batch of delivery outcomes marks healthy, and since when the others fail (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trickle_webhook.delivery.dispatcher import Claimed, Outcome, endpoint_health
from trickle_webhook.delivery.sender import FAILED, SUCCEEDED, AttemptResult

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def outcome(endpoint: str, second: int, ok: bool) -> Outcome:
    at = T0 + timedelta(seconds=second)
    claimed = Claimed("msg", endpoint, "https://e.example/", "{}", 1, 1, ["whsec_x"], T0)
    return Outcome(claimed, AttemptResult(SUCCEEDED if ok else FAILED, 200 if ok else 500, 5, at, at))


def test_a_success_then_a_failure_in_one_batch_resets_the_spell_to_that_failure() -> None:
    healthy, failing = endpoint_health({"we_a": [outcome("we_a", 3, False), outcome("we_a", 1, True)]})
    assert healthy == ["we_a"]  # the old failing_since is cleared…
    assert failing == {"we_a": T0 + timedelta(seconds=3)}  # …and the new spell starts at the later failure


def test_failures_only_start_at_the_first_and_successes_only_clear() -> None:
    healthy, failing = endpoint_health(
        {
            "we_bad": [outcome("we_bad", 7, False), outcome("we_bad", 2, False)],
            "we_ok": [outcome("we_ok", 2, False), outcome("we_ok", 4, True)],
        }
    )
    assert healthy == ["we_ok"]
    assert failing == {"we_bad": T0 + timedelta(seconds=2)}
