"""Events the settlement service's ledger publishes (topic ``ledger``, keyed by account)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from trickle_events.base import Event
from trickle_events.common import Money
from trickle_events.ledger_accounts import LedgerAccountKind
from trickle_events.topics import LEDGER


class PostingLine(BaseModel):
    """One posting of an entry. ``amount`` > 0 debits the account, < 0 credits it."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="PostingLine")

    ledger_account: str
    kind: LedgerAccountKind
    owner_id: str | None = None
    amount: int
    currency: str
    balance_after: int
    """The account's balance after this posting, in its natural sign (credit-normal for liabilities)."""


class _LedgerEvent(Event):
    topic: ClassVar[str] = LEDGER


class EntryPosted(_LedgerEvent):
    event_type: ClassVar[str] = "ledger.entry.posted"
    description: ClassVar[str] = "A balanced journal entry was posted; carries its postings and the balances after it."
    entry_id: str
    idempotency_key: str
    kind: str
    currency: str
    reference: str | None = None
    posted_at: datetime
    postings: list[PostingLine]
    account_ids_concerned: list[str]
    sequence: int | None = None
    """Monotonic number of the entry in the ledger: of two entries touching one ledger account, the later
    has the higher sequence. Read models use it to ignore an older entry delivered after a newer one."""

    def account_ids(self) -> list[str]:
        return self.account_ids_concerned

    def subject(self) -> str:
        return self.entry_id


class TransferCompleted(_LedgerEvent):
    event_type: ClassVar[str] = "ledger.transfer.completed"
    description: ClassVar[str] = (
        "A tip was posted: ``amount`` left the sender, ``net`` reached the recipient, ``commission`` the platform."
    )
    transfer_id: str
    entry_id: str
    from_account_id: str
    to_account_id: str
    amount: Money
    commission: Money
    net: Money

    def account_ids(self) -> list[str]:
        return [self.from_account_id, self.to_account_id]

    def subject(self) -> str:
        return self.transfer_id


class TransferRejected(_LedgerEvent):
    event_type: ClassVar[str] = "ledger.transfer.rejected"
    description: ClassVar[str] = "A tip was refused by the ledger (e.g. ``insufficient_funds``); nothing moved."
    transfer_id: str
    from_account_id: str
    to_account_id: str
    amount: Money
    reason: str

    def account_ids(self) -> list[str]:
        return [self.from_account_id]

    def subject(self) -> str:
        return self.transfer_id


class PayoutReserved(_LedgerEvent):
    event_type: ClassVar[str] = "ledger.payout.reserved"
    description: ClassVar[str] = "A payout's amount moved from earnings to payouts in transit."
    payout_id: str
    account_id: str
    amount: Money
    entry_id: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.payout_id


class PayoutRejected(_LedgerEvent):
    event_type: ClassVar[str] = "ledger.payout.rejected"
    description: ClassVar[str] = "A payout was refused (e.g. ``insufficient_earnings``); nothing moved."
    payout_id: str
    account_id: str
    amount: Money
    reason: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.payout_id


class PayoutSettled(_LedgerEvent):
    event_type: ClassVar[str] = "ledger.payout.settled"
    description: ClassVar[str] = "A paid payout left payouts in transit for the provider's clearing account."
    payout_id: str
    account_id: str
    amount: Money
    entry_id: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.payout_id


class PayoutReleased(_LedgerEvent):
    event_type: ClassVar[str] = "ledger.payout.released"
    description: ClassVar[str] = "A failed payout's reservation went back to the creator's earnings."
    payout_id: str
    account_id: str
    amount: Money
    entry_id: str

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.payout_id


class _RefundOutcome(_LedgerEvent):
    refund_id: str
    account_id: str
    amount: Money

    def account_ids(self) -> list[str]:
        return [self.account_id]

    def subject(self) -> str:
        return self.refund_id


class RefundReserved(_RefundOutcome):
    event_type: ClassVar[str] = "ledger.refund.reserved"
    description: ClassVar[str] = "A refund's amount moved from the patron's wallet to payouts in transit."
    entry_id: str


class RefundRejected(_RefundOutcome):
    event_type: ClassVar[str] = "ledger.refund.rejected"
    description: ClassVar[str] = "A refund was refused (e.g. ``insufficient_funds``); nothing moved."
    reason: str


class RefundSettled(_RefundOutcome):
    event_type: ClassVar[str] = "ledger.refund.settled"
    description: ClassVar[str] = "A paid refund left payouts in transit for the provider's clearing account."
    entry_id: str


class RefundReleased(_RefundOutcome):
    event_type: ClassVar[str] = "ledger.refund.released"
    description: ClassVar[str] = "A failed refund's reservation went back to the patron's wallet."
    entry_id: str
