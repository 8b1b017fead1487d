"""Events the wallet service publishes (topic ``wallet``, keyed by account)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from trickle_events.base import Event
from trickle_events.common import Money
from trickle_events.topics import WALLET


class _WalletEvent(Event):
    topic: ClassVar[str] = WALLET


class AccountState(_WalletEvent):
    account_id: str
    display_name: str
    kind: Literal["person", "organisation"]
    currency: str
    non_profit: bool = False
    giving_public: bool = False
    commission_bps: int = 1000
    # An operator suspended the account: no new clicks, deposits, tips or payouts; its money stays.
    suspended: bool = False
    # The holder deleted the account: personal data erased (``display_name`` is a placeholder), credentials
    # revoked; the id stays as the pseudonym under which the ledger keeps its rows.
    deleted: bool = False

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.account_id


class AccountCreated(AccountState):
    event_type: ClassVar[str] = "wallet.account.created"
    description: ClassVar[str] = "An account was registered."


class AccountUpdated(AccountState):
    event_type: ClassVar[str] = "wallet.account.updated"
    description: ClassVar[str] = (
        "An account changed (name, privacy, non-profit flag, commission rate, suspension). Carries the full state."
    )


class AccountDeleted(AccountState):
    event_type: ClassVar[str] = "wallet.account.deleted"
    description: ClassVar[str] = (
        "The holder deleted the account: its personal data is erased, its credentials revoked, and nothing new "
        "may happen to it. Carries the final (pseudonymous) state, ``deleted`` and ``suspended`` true; the ledger "
        "keeps its rows under the account id."
    )


class DepositSucceeded(_WalletEvent):
    event_type: ClassVar[str] = "wallet.deposit.succeeded"
    description: ClassVar[str] = "A payment provider confirmed a deposit: the wallet is to be credited ``net``."
    deposit_id: str
    account_id: str
    method: Literal["bank_transfer", "paypal", "card"]
    provider: str
    gross: Money
    fee: Money
    net: Money

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.deposit_id


class DepositFailed(_WalletEvent):
    event_type: ClassVar[str] = "wallet.deposit.failed"
    description: ClassVar[str] = "A deposit failed or timed out at the provider; no money moved."
    deposit_id: str
    account_id: str
    reason: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.deposit_id


class BudgetUpdated(_WalletEvent):
    event_type: ClassVar[str] = "wallet.budget.updated"
    description: ClassVar[str] = (
        "A patron's monthly budget changed (``enabled`` false: no money moves for their clicks)."
    )
    account_id: str
    enabled: bool
    amount: Money
    min_per_click: Money | None = None
    max_per_month: Money | None = None
    updated_at: datetime

    def account_ids(self) -> list[str]:
        return [self.account_id]


class TransferRequested(_WalletEvent):
    event_type: ClassVar[str] = "wallet.transfer.requested"
    description: ClassVar[str] = "A patron asked to tip another account; the ledger answers completed or rejected."
    transfer_id: str
    from_account_id: str
    to_account_id: str
    amount: Money
    note: str | None = None

    def account_ids(self) -> list[str]:
        return [self.from_account_id, self.to_account_id]

    def subject(self) -> str:
        return self.transfer_id


class PayoutRequested(_WalletEvent):
    event_type: ClassVar[str] = "wallet.payout.requested"
    description: ClassVar[str] = "A creator asked to withdraw earnings; the ledger reserves them or rejects."
    payout_id: str
    account_id: str
    amount: Money
    provider: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.payout_id


class PayoutPaid(_WalletEvent):
    event_type: ClassVar[str] = "wallet.payout.paid"
    description: ClassVar[str] = "The provider paid a reserved payout out; the ledger settles it."
    payout_id: str
    account_id: str
    amount: Money
    provider: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.payout_id


class PayoutFailed(_WalletEvent):
    event_type: ClassVar[str] = "wallet.payout.failed"
    description: ClassVar[str] = "The provider could not pay a reserved payout; the ledger releases the reservation."
    payout_id: str
    account_id: str
    amount: Money
    reason: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.payout_id


class _RefundEvent(_WalletEvent):
    refund_id: str
    account_id: str
    amount: Money

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.refund_id


class RefundRequested(_RefundEvent):
    event_type: ClassVar[str] = "wallet.refund.requested"
    description: ClassVar[str] = (
        "A patron (or an operator for them) asked for unspent wallet money back through the payment provider; "
        "the ledger reserves it or rejects."
    )
    provider: str


class RefundPaid(_RefundEvent):
    event_type: ClassVar[str] = "wallet.refund.paid"
    description: ClassVar[str] = "The provider paid a reserved refund back to the patron; the ledger settles it."
    provider: str


class RefundFailed(_RefundEvent):
    event_type: ClassVar[str] = "wallet.refund.failed"
    description: ClassVar[str] = (
        "The provider could not pay a reserved refund; the ledger releases the reservation to the patron's wallet."
    )
    reason: str
