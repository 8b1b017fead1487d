"""Deposit requests and resources."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money, PositiveMoney
from trickle_kit.pagination import Page

DepositMethod = Literal["bank_transfer", "paypal", "card"]
DepositStatus = Literal["pending", "succeeded", "failed"]
SandboxInstruction = Literal["succeed", "fail", "timeout", "duplicate", "out_of_order", "lose_callback"]


class DepositQuoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", title="DepositQuoteRequest")

    method: DepositMethod
    amount: PositiveMoney = Field(description="What the patron pays (gross)")


class DepositQuoteOut(BaseModel):
    model_config = ConfigDict(title="DepositQuote")

    method: DepositMethod
    gross: Money
    fee: Money = Field(description="Borne by the patron")
    net: Money = Field(description="What the wallet is credited")


class DepositCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", title="DepositCreate")

    method: DepositMethod
    amount: PositiveMoney = Field(description="What the patron pays (gross); the fee is deducted from it")
    sandbox: SandboxInstruction | None = Field(
        default=None, description="Sandbox mode only: how the sandbox provider should behave"
    )


class DepositOut(BaseModel):
    model_config = ConfigDict(title="Deposit")

    id: str = Field(examples=["dep_0190c3d4e5f6a7b8c9d0e1f2a3b4c5d6"])
    account_id: str
    method: DepositMethod
    provider: str
    status: DepositStatus
    gross: Money
    fee: Money
    net: Money
    failure_reason: str | None = None
    sandbox: SandboxInstruction | None = None
    created_at: datetime
    updated_at: datetime
    expires_at: datetime = Field(description="A deposit still pending then is failed (provider time-out)")
    completed_at: datetime | None = None


class DepositList(Page[DepositOut]):
    """One page of deposits, newest last."""
