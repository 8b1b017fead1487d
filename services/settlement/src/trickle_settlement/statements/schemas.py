"""Response models of the ledger API (named for OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money
from trickle_kit.pagination import Page


class LedgerAccountBalance(BaseModel):
    """One ledger account and its balance in its natural sign (what the platform owes, for a user's)."""

    model_config = ConfigDict(title="LedgerAccountBalance")

    ledger_account: str = Field(examples=["patron_wallet:acct_0190…"])
    kind: str = Field(examples=["patron_wallet"])
    type: Literal["asset", "liability", "revenue", "expense"]
    owner_id: str | None = None
    balance: Money
    posting_count: int


class AccountBalances(BaseModel):
    """Every ledger account held by an account (wallet, earnings, payouts in transit)."""

    model_config = ConfigDict(title="AccountBalances")

    account_id: str
    balances: list[LedgerAccountBalance]


class StatementLine(BaseModel):
    """One posting on the account: ``amount`` > 0 increased its balance, < 0 decreased it."""

    model_config = ConfigDict(title="StatementLine")

    id: str = Field(description="The posting's position in the ledger; the pagination cursor", examples=["1042"])
    entry_id: str
    entry_kind: str = Field(examples=["deposit", "transfer", "settlement", "payout_reserve"])
    reference: str | None = Field(default=None, description="What caused the entry (deposit, transfer, payout, period)")
    period: str | None = None
    posted_at: datetime
    ledger_account: str
    account_kind: str
    direction: Literal["debit", "credit"]
    amount: Money
    balance_after: Money


class Statement(Page[StatementLine]):
    """A page of an account's statement, oldest first."""

    model_config = ConfigDict(title="Statement")

    account_id: str


class EntryPostingOut(BaseModel):
    """One posting of an entry: ``amount`` > 0 debits, < 0 credits (the entry's amounts sum to zero)."""

    model_config = ConfigDict(title="EntryPosting")

    ledger_account: str
    kind: str
    owner_id: str | None = None
    amount: Money
    balance_after: Money = Field(description="The account's balance after this posting, in its natural sign")


class EntryOut(BaseModel):
    """A journal entry with the postings the reader may see.

    Operators see every posting (they sum to zero). An account holder sees only the postings
    of accounts they hold; the entry's other legs appear only as ``counterparty_kinds``, and
    other accounts' ids in ``idempotency_key`` and ``reference`` read ``hidden``.
    """

    model_config = ConfigDict(title="JournalEntry")

    id: str = Field(examples=["je_0190…"])
    sequence: int = Field(description="Monotonic number of the entry in the ledger")
    idempotency_key: str = Field(examples=["transfer:tr_0190…"])
    kind: str
    reference: str | None = None
    period: str | None = None
    currency: str
    posted_at: datetime
    postings: list[EntryPostingOut]
    counterparty_kinds: list[str] = Field(
        description="Kinds of the entry's legs on accounts the reader does not hold (no id, owner or amount)",
        examples=[["patron_wallet", "platform_commission"]],
    )


class TrialBalanceLine(BaseModel):
    """Accounts of one kind and currency: their debit and credit balances."""

    model_config = ConfigDict(title="TrialBalanceLine")

    kind: str
    type: Literal["asset", "liability", "revenue", "expense"]
    currency: str
    accounts: int
    debit: int = Field(description="Sum of the debit balances, minor units")
    credit: int = Field(description="Sum of the credit balances, minor units")


class TrialBalanceTotal(BaseModel):
    model_config = ConfigDict(title="TrialBalanceTotal")

    currency: str
    debit: int
    credit: int
    difference: int = Field(description="debit − credit: zero in a sound ledger")
    postings_sum: int = Field(description="Sum of every posting's amount, recomputed from the journal: zero")


class TrialBalance(BaseModel):
    """The trial balance: per account kind, and totals per currency that must net to zero."""

    model_config = ConfigDict(title="TrialBalance")

    as_of: datetime
    balanced: bool
    balances_match_postings: bool | None = Field(
        default=None, description="With ?verify=true: every account's balance equals the sum of its postings"
    )
    lines: list[TrialBalanceLine]
    totals: list[TrialBalanceTotal]
