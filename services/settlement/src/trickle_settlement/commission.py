"""The commission rule (SPEC 5), as pure functions: who pays what rate, and what a rate takes of a gross.

An account pays its own rate in basis points on what it receives (tips, its share of a
settlement, a claimed escrow); a non-profit pays none; an account the wallet never announced
pays the default. The rate is read from the accounts projection
(``projections.accounts.commission_rates``) and applied here, nowhere else.
"""

from __future__ import annotations

from trickle_kit.money import round_half_even

DEFAULT_COMMISSION_BPS = 1000
BPS = 10_000


def rate_of(non_profit: bool, commission_bps: int) -> int:
    """The rate an account pays, in basis points: 0 for non-profits, else its own rate."""
    return 0 if non_profit else int(commission_bps)


def commission_of(gross: int, bps: int) -> int:
    """k = g × r / 10000, rounded half to even to the cent."""
    return round_half_even(gross * bps, BPS)
