"""Money: integer minor units with an ISO 4217 currency. Never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"], description="ISO 4217 code")]
# The largest amount we accept anywhere: 10 billion in minor units leaves room in BIGINT sums.
MAX_AMOUNT = 10_000_000_000_000


class CurrencyMismatch(ValueError):
    pass


class Money(BaseModel):
    """An amount in minor units (cents) and its currency."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Money")

    amount: StrictInt = Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, description="Minor units (cents)", examples=[500])
    currency: Currency

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def __neg__(self) -> Money:
        return Money(amount=-self.amount, currency=self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=0, currency=currency)

    def __str__(self) -> str:
        return f"{decimal_text(self.amount)} {self.currency}"


class PositiveMoney(Money):
    """An amount that must be greater than zero: what a request asks to move (deposit, tip, payout)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="PositiveMoney")

    amount: StrictInt = Field(gt=0, le=MAX_AMOUNT, description="Minor units (cents), > 0", examples=[500])


def decimal_text(amount: int) -> str:
    """Minor units as people read them: 1250 → ``"12.50"``, -5 → ``"-0.05"`` (integer arithmetic)."""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole}.{cents:02d}"


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (away from zero for positives), exactly."""
    return int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_half_even(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half to even (banker's rounding), exactly."""
    return int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
