"""The reconciler must ask the provider about a pending deposit before the time-out fails it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from trickle_wallet.settings import Settings


def test_a_reconciler_deadline_at_or_past_the_deposit_time_out_is_refused() -> None:
    with pytest.raises(ValidationError, match="reconcile_deposits_after_s"):
        Settings(deposit_timeout_s=120, reconcile_deposits_after_s=120)


def test_the_defaults_let_the_reconciler_ask_first() -> None:
    settings = Settings()
    assert settings.reconcile_deposits_after_s < settings.deposit_timeout_s
