"""Request and response models of budgets."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from trickle_kit.money import Money


class BudgetSet(BaseModel):
    """The monthly budget, replaced whole. ``{"enabled": false}`` turns giving off (no money moves)."""

    model_config = ConfigDict(extra="forbid", title="BudgetSet")

    enabled: StrictBool = True
    amount: Money | None = Field(default=None, description="Spent each month on what you clicked")
    min_per_click: Money | None = Field(default=None, description="Spend at least this per click (may exceed amount)")
    max_per_month: Money | None = Field(default=None, description="Never spend more than this in a month (≥ amount)")

    @model_validator(mode="after")
    def _shape(self) -> BudgetSet:
        if self.enabled and self.amount is None:
            raise ValueError("amount is required when the budget is enabled")
        if not self.enabled and (self.amount, self.min_per_click, self.max_per_month) != (None, None, None):
            raise ValueError("a disabled budget takes no amounts")
        return self


class Budget(BaseModel):
    model_config = ConfigDict(title="Budget")

    account_id: str
    enabled: bool
    amount: Money
    min_per_click: Money | None = None
    max_per_month: Money | None = None
    minimum_amount: Money = Field(description="The smallest budget this deployment accepts")
    updated_at: datetime | None = Field(default=None, description="Null when no budget was ever set")
