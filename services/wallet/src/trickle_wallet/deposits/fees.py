"""Deposit fees (SPEC 3): a fixed part plus basis points of the gross, rounded half up to the cent. No I/O."""

from __future__ import annotations

from dataclasses import dataclass

from trickle_kit.money import Money, round_half_up
from trickle_wallet.settings import DepositFee


@dataclass(frozen=True)
class DepositQuote:
    gross: Money
    fee: Money
    net: Money


def deposit_fee(gross: int, rule: DepositFee) -> int:
    """fee = fixed + round_half_up(gross × bps / 10000), in minor units."""
    return rule.fixed + round_half_up(gross * rule.bps, 10_000)


def quote_deposit(gross: Money, rule: DepositFee) -> DepositQuote:
    """What a patron pays (``gross``), the provider's fee, and what reaches the wallet (``net``)."""
    fee = Money(amount=deposit_fee(gross.amount, rule), currency=gross.currency)
    return DepositQuote(gross=gross, fee=fee, net=gross - fee)
