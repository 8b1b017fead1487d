"""An account's balances as the ledger last reported them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money


class BalancesOut(BaseModel):
    model_config = ConfigDict(title="Balances")

    account_id: str
    wallet: Money = Field(description="Prepaid, available to give")
    earnings: Money = Field(description="Received, available to pay out")
    reserved: Money = Field(description="Earnings reserved for payouts in progress")
    as_of_entry_id: str | None = Field(
        default=None, description="The latest ledger entry these balances reflect (none yet: all zero)"
    )
    updated_at: datetime | None = None
