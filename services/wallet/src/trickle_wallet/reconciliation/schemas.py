"""What the reconciliation endpoints answer."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money
from trickle_wallet.providers.base import OrderKind, ProviderStatus

ReconcileOutcome = Literal["applied", "unchanged", "ignored", "duplicate", "pending", "unknown", "error"]
FeeDifferenceKind = Literal["mismatch", "unreported", "unrecorded"]


class ReconciledOrder(BaseModel):
    model_config = ConfigDict(title="ReconciledOrder")

    object: OrderKind
    reference: str = Field(description="The deposit's or payout's id")
    provider_status: ProviderStatus | None = Field(description="What the provider answered; null if it did not")
    outcome: ReconcileOutcome = Field(
        description="applied: finished now (as its callback would have); unchanged, ignored, duplicate: as for a "
        "callback (it had been finished meanwhile); pending: still in flight at the provider; unknown: the "
        "provider does not know the order; error: the provider's answer could not be had or applied (logged)"
    )


class ReconciliationOut(BaseModel):
    model_config = ConfigDict(title="Reconciliation")

    checked: int = Field(ge=0, description="Deposits and payouts past their deadline that the provider was asked about")
    finished: int = Field(ge=0, description="How many of them this run finished (outcome applied)")
    orders: list[ReconciledOrder]


class FeeDifference(BaseModel):
    model_config = ConfigDict(title="FeeDifference")

    object: OrderKind
    reference: str
    kind: FeeDifferenceKind = Field(
        description="mismatch: both sides have the order, with different fees; unreported: the wallet recorded a "
        "fee the provider does not report; unrecorded: the provider charged for an order the wallet has no "
        "succeeded deposit for that day"
    )
    wallet_fee: Money | None
    provider_fee: Money | None


class FeeTotal(BaseModel):
    model_config = ConfigDict(title="FeeTotal")

    currency: str
    wallet: int = Field(description="Fees the wallet recorded, minor units")
    provider: int = Field(description="Fees the provider reports, minor units")
    difference: int = Field(description="provider − wallet")


class FeeReconciliationOut(BaseModel):
    model_config = ConfigDict(title="FeeReconciliation")

    provider: str
    day: date
    matched: int = Field(ge=0, description="Orders whose fees agree")
    totals: list[FeeTotal]
    differences: list[FeeDifference] = Field(description="Reported only: no money moves because of them")
