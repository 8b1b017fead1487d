"""Payout requests and resources."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money, PositiveMoney
from trickle_kit.pagination import Page

PayoutStatus = Literal["requested", "reserved", "processing", "paid", "failed", "rejected"]
PayoutSandboxInstruction = Literal["succeed", "fail", "duplicate", "lose_callback"]


class PayoutCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", title="PayoutCreate")

    amount: PositiveMoney = Field(description="Taken from earnings; at least the configured minimum")
    sandbox: PayoutSandboxInstruction | None = Field(
        default=None, description="Sandbox mode only: whether the sandbox provider pays out or fails"
    )


class PayoutOut(BaseModel):
    model_config = ConfigDict(title="Payout")

    id: str = Field(examples=["po_0190c3d4e5f6a7b8c9d0e1f2a3b4c5d6"])
    account_id: str
    amount: Money
    provider: str
    status: PayoutStatus = Field(
        description="requested → reserved (by the ledger) → processing (at the provider) → paid | failed; "
        "or rejected by the ledger"
    )
    reason: str | None = Field(default=None, description="Why it was rejected or failed")
    sandbox: PayoutSandboxInstruction | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


class PayoutList(Page[PayoutOut]):
    """One page of payouts, oldest first."""
