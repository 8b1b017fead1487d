"""Deposit fees: fixed + basis points of the gross, rounded half up to the cent (SPEC 3)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trickle_kit.money import Money
from trickle_wallet.deposits.fees import deposit_fee, quote_deposit
from trickle_wallet.settings import DepositFee, Settings

DEFAULTS = Settings().deposit_fees


def test_the_default_schedule_is_the_specs() -> None:
    assert DEFAULTS["bank_transfer"] == DepositFee(fixed=30, bps=30)
    assert DEFAULTS["paypal"] == DepositFee(fixed=35, bps=340)
    assert DEFAULTS["card"] == DepositFee(fixed=30, bps=200)


def test_a_hundred_euros_by_bank_transfer_cost_sixty_cents() -> None:
    q = quote_deposit(Money(amount=10_000, currency="EUR"), DEFAULTS["bank_transfer"])
    assert (q.gross.amount, q.fee.amount, q.net.amount) == (10_000, 60, 9_940)


def test_half_a_cent_rounds_up() -> None:
    # 12.25 € by card: 2% is 24.5 ct → 25 ct, plus 30 ct.
    assert deposit_fee(1_225, DEFAULTS["card"]) == 55
    # 0.3% of 1.50 € is 0.45 ct → 0 ct; of 1.67 € is 0.501 ct → 1 ct.
    assert deposit_fee(150, DEFAULTS["bank_transfer"]) == 30
    assert deposit_fee(167, DEFAULTS["bank_transfer"]) == 31


@given(gross=st.integers(min_value=1, max_value=10**12), fixed=st.integers(0, 1000), bps=st.integers(0, 5000))
def test_gross_is_always_fee_plus_net_and_the_fee_is_within_half_a_cent(gross: int, fixed: int, bps: int) -> None:
    q = quote_deposit(Money(amount=gross, currency="EUR"), DepositFee(fixed=fixed, bps=bps))
    assert q.fee.amount + q.net.amount == gross
    exact_times_2 = 2 * fixed * 10_000 + 2 * gross * bps
    assert abs(2 * q.fee.amount * 10_000 - exact_times_2) <= 10_000
