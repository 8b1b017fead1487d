"""What every payment provider adapter offers the wallet, and what its callbacks tell us."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money

OrderKind = Literal["deposit", "payout", "refund"]
ProviderStatus = Literal["pending", "succeeded", "failed"]


@dataclass(frozen=True)
class PaymentOrder:
    """A payment we ask a provider to make: collect a deposit, pay a payout out, or pay a wallet balance back."""

    kind: OrderKind
    reference: str
    amount: Money
    # Sandbox behaviour (``succeed``, ``fail``, ``timeout``…); real providers ignore it.
    instruction: str | None = None
    # How a deposit is paid (``card``, ``paypal``…): what the provider's fee depends on.
    method: str | None = None


class ProviderResult(BaseModel):
    """A provider's verified callback: the outcome of one order (possibly one of several, in any order)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="ProviderResult")

    id: str = Field(min_length=1, max_length=100, description="The provider's id of this notification")
    object: OrderKind
    reference: str = Field(min_length=1, max_length=40, description="Our deposit, payout or refund id")
    provider_ref: str = Field(min_length=1, max_length=100)
    status: ProviderStatus
    reason: str | None = Field(default=None, max_length=200)
    amount: Money


@dataclass(frozen=True)
class ProviderFee:
    """One line of a provider's fee report: what it charged for one order."""

    kind: OrderKind
    reference: str
    fee: Money


@dataclass(frozen=True)
class FeeReport:
    """What a provider says it charged on one (UTC) day, order by order."""

    provider: str
    day: date
    fees: Sequence[ProviderFee]


class CallbackRefused(Exception):
    """A callback whose signature is missing, wrong or stale; ``code`` says which."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class PaymentProvider(Protocol):
    """An adapter to a payment provider. Outcomes arrive later, as signed callbacks."""

    name: str

    async def start(self, order: PaymentOrder) -> str:
        """Ask the provider to carry out ``order`` (idempotent by reference); returns the provider's reference."""
        ...

    async def refund(self, order: PaymentOrder) -> str:
        """Pay ``order.amount`` of a patron's unspent prepaid balance back to them (an order of kind ``refund``,
        idempotent by reference); returns the provider's reference. The outcome arrives as a callback."""
        ...

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise CallbackRefused unless ``body`` is signed by the provider, recently."""
        ...

    async def status(self, order: PaymentOrder) -> ProviderResult | None:
        """Ask the provider where ``order`` stands, for when its callback never came: the answer is applied like
        a callback (its ``id`` names this answer). None: the provider does not know the order."""
        ...

    async def fee_report(self, day: date) -> FeeReport:
        """The fees the provider charged on ``day`` (UTC), to reconcile with the fees the wallet recorded."""
        ...
