"""What posting can refuse, as domain exceptions with stable codes."""

from __future__ import annotations


class LedgerError(Exception):
    code = "ledger_error"


class InvalidEntry(LedgerError):
    """The entry is malformed: fewer than two postings, unbalanced, mixed currencies."""

    code = "invalid_entry"


class AccountMismatch(LedgerError):
    """A ledger account exists with another kind or currency than the poster says."""

    code = "account_mismatch"


class InsufficientFunds(LedgerError):
    """A user liability account (wallet, earnings, escrow, in transit) would go below zero."""

    code = "insufficient_funds"

    def __init__(self, account_id: str, balance: int, required: int, *, entry_key: str | None = None) -> None:
        super().__init__(
            f"{account_id} holds {balance}, {required} required" + (f" by {entry_key}" if entry_key else "")
        )
        self.account_id = account_id
        self.balance = balance
        self.required = required
        self.entry_key = entry_key
