"""Amounts as people type and read them ("12.50") and as the API carries them (1250 minor units)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from trickle_kit.money import decimal_text

__all__ = ["AmountError", "decimal_text", "format_money", "parse_amount"]

MAX_AMOUNT = 10**9  # minor units: ten million euros, more than any form here needs


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> int:
    """``"12.50"``, ``"12,5"`` or ``"12"`` → 1250; an AmountError says what is wrong."""
    cleaned = text.strip().replace(",", ".").replace(" ", "")
    if not cleaned:
        raise AmountError("Enter an amount.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise AmountError("Enter an amount like 12.50.") from exc
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AmountError("Enter an amount with at most two decimals, like 12.50.")
    cents = int(value * 100)
    if cents <= 0:
        raise AmountError("Enter an amount above zero.")
    if cents > MAX_AMOUNT:
        raise AmountError("That amount is too large.")
    return cents


def format_money(money: Any) -> str:
    """A Money (the client's model or its dict) as ``12.50 EUR``."""
    if money is None:
        return "—"
    if isinstance(money, dict):
        amount, currency = money["amount"], money["currency"]
    else:
        amount, currency = money.amount, money.currency
    return f"{decimal_text(int(amount))} {currency}"
