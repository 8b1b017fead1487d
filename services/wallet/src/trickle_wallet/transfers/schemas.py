"""Transfer (tip) requests and resources."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money, PositiveMoney
from trickle_kit.pagination import Page

TransferStatus = Literal["pending", "completed", "rejected"]
ACCOUNT_ID_PATTERN = r"^acct_[0-9a-f]{32}$"


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", title="TransferCreate")

    to_account_id: str = Field(pattern=ACCOUNT_ID_PATTERN, examples=["acct_0190c3d4e5f6a7b8c9d0e1f2a3b4c5d6"])
    amount: PositiveMoney
    note: str | None = Field(default=None, max_length=280, description="Shown to the recipient")


class TransferOut(BaseModel):
    model_config = ConfigDict(title="Transfer")

    id: str = Field(examples=["tr_0190c3d4e5f6a7b8c9d0e1f2a3b4c5d6"])
    from_account_id: str | None = Field(
        description="The sender; null to the recipient when the sender gives privately (SPEC 4)"
    )
    to_account_id: str
    amount: Money
    note: str | None = Field(default=None, description="Shown to the recipient (ids of private accounts masked)")
    status: TransferStatus
    commission: Money | None = Field(default=None, description="Once completed: the platform's commission")
    net: Money | None = Field(default=None, description="Once completed: what the recipient received")
    ledger_entry_id: str | None = None
    rejection_reason: str | None = Field(default=None, examples=["insufficient_funds"])
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


class TransferList(Page[TransferOut]):
    """One page of transfers, oldest first."""
