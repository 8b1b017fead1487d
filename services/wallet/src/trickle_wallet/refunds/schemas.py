"""Refund requests and resources."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money, PositiveMoney
from trickle_kit.pagination import Page

RefundStatus = Literal["requested", "reserved", "processing", "paid", "failed", "rejected"]
RefundSandboxInstruction = Literal["succeed", "fail", "duplicate", "lose_callback"]


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", title="RefundCreate")

    account_id: str = Field(
        min_length=1, max_length=40, description="Whose wallet: the caller's own, or any account for an operator"
    )
    amount: PositiveMoney | None = Field(
        default=None, description="At most the wallet's balance; the whole balance when left out"
    )
    sandbox: RefundSandboxInstruction | None = Field(
        default=None, description="Sandbox mode only: whether the sandbox provider pays the refund or fails"
    )


class RefundOut(BaseModel):
    model_config = ConfigDict(title="Refund")

    id: str = Field(examples=["ref_0190c3d4e5f6a7b8c9d0e1f2a3b4c5d6"])
    account_id: str
    amount: Money
    provider: str
    status: RefundStatus = Field(
        description="requested → reserved (by the ledger, out of the wallet) → processing (at the provider) → "
        "paid | failed (the reservation goes back to the wallet); or rejected by the ledger"
    )
    reason: str | None = Field(default=None, description="Why it was rejected or failed")
    sandbox: RefundSandboxInstruction | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


class RefundList(Page[RefundOut]):
    """One page of refunds, oldest first."""
