"""Which endpoints a batch of delivery outcomes marks healthy, and since when the others fail (pure)."""

from __future__ import annotations

from datetime import timedelta

from trickle_webhook.delivery.dispatcher import endpoint_health

from ..support.outcomes import T0, outcome


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
