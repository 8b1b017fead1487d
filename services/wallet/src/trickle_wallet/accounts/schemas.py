"""Request and response models of accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StrictBool, StrictInt, StringConstraints, model_validator

from trickle_kit.money import Currency
from trickle_kit.pagination import Page
from trickle_wallet.credentials.schemas import ApiKeyCreated

DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class AccountCreate(BaseModel):
    """Self-registration: anyone may open an account."""

    model_config = ConfigDict(extra="forbid", title="AccountCreate")

    display_name: DisplayName = Field(examples=["Ada Lovelace"])
    email: EmailStr = Field(max_length=254, examples=["ada@example.org"])
    kind: Literal["person", "organisation"] = "person"
    currency: Currency = "EUR"


class AccountUpdate(BaseModel):
    """Change what an account holder may change; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid", title="AccountUpdate")

    display_name: DisplayName | None = None
    giving_public: StrictBool | None = Field(default=None, description="Show my name on the things I click")

    @model_validator(mode="after")
    def _something_and_no_nulls(self) -> AccountUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one of display_name, giving_public")
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class NonProfitUpdate(BaseModel):
    """Operators flag non-profits, which pay no commission; unflagging restores the default rate."""

    model_config = ConfigDict(extra="forbid", title="NonProfitUpdate")

    non_profit: StrictBool = True


class CommissionUpdate(BaseModel):
    """An operator-set commission rate on what the account receives."""

    model_config = ConfigDict(extra="forbid", title="CommissionUpdate")

    commission_bps: StrictInt = Field(ge=0, le=10_000, description="Basis points: 1000 = 10%", examples=[500])


class SuspensionCreate(BaseModel):
    """Why an operator suspends an account (kept with the account; shown to its holder)."""

    model_config = ConfigDict(extra="forbid", title="SuspensionCreate")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = Field(
        examples=["Chargebacks under investigation"]
    )


class Account(BaseModel):
    model_config = ConfigDict(title="Account", from_attributes=True)

    id: str = Field(examples=["acct_0190c0ffee0000000000000000000000"])
    display_name: str
    email: str
    kind: Literal["person", "organisation"]
    currency: str
    non_profit: bool
    giving_public: bool
    commission_bps: int
    suspended: bool = Field(description="Suspended by an operator: no new clicks, deposits, tips or payouts")
    suspended_reason: str | None = None
    suspended_at: datetime | None = None
    deleted_at: datetime | None = Field(
        default=None, description="Deleted by its holder: personal data erased, the id kept for the books"
    )
    created_at: datetime
    updated_at: datetime


class AccountRegistered(BaseModel):
    """The new account and its first API key: exchange the key at ``token_url`` for an access token."""

    model_config = ConfigDict(title="AccountRegistered")

    account: Account
    api_key: ApiKeyCreated
    token_url: str = "/v1/oauth/token"


class AccountList(Page[Account]):
    """A page of accounts (operators' search), in id order."""

    model_config = ConfigDict(title="AccountList")
