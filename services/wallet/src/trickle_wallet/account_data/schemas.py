"""Response models of the account export."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trickle_wallet.accounts.schemas import Account
from trickle_wallet.balances.schemas import BalancesOut
from trickle_wallet.budgets.schemas import Budget
from trickle_wallet.credentials.schemas import ApiKey
from trickle_wallet.deposits.schemas import DepositOut
from trickle_wallet.payouts.schemas import PayoutOut
from trickle_wallet.refunds.schemas import RefundOut
from trickle_wallet.sign_in.schemas import SignInExport
from trickle_wallet.transfers.schemas import TransferOut


class ElsewhereLink(BaseModel):
    """Data about the account that another service holds, and the endpoint its holder reads it from."""

    model_config = ConfigDict(title="AccountExportElsewhere")

    service: str = Field(examples=["settlement"])
    holds: str = Field(examples=["the ledger: the account's statements (postings and balances)"])
    endpoint: str = Field(examples=["GET /v1/ledger/accounts/{account_id}/statement.csv"])


class AccountExport(BaseModel):
    """Everything the wallet service holds about one account, as its holder may see it. Secrets are never
    included (API keys appear with their hint only). Clicks, subscriptions, things and the ledger live in
    the other services: ``elsewhere`` names the endpoint of each."""

    model_config = ConfigDict(title="AccountExport")

    exported_at: datetime
    account: Account
    balances: BalancesOut
    budget: Budget
    api_keys: list[ApiKey]
    deposits: list[DepositOut]
    transfers: list[TransferOut] = Field(description="Sent and received; a private sender stays unnamed")
    payouts: list[PayoutOut]
    refunds: list[RefundOut] = Field(default_factory=list, description="Refunds of the wallet's unspent balance")
    sign_in: SignInExport | None = Field(
        default=None, description="The email and its verification, when the holder signs in with a password"
    )
    elsewhere: list[ElsewhereLink]
