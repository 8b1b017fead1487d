"""The ledger's tables: chart of accounts, journal entries, postings, balances.

The invariants live in PostgreSQL (migration 0002), not only here: balanced entries,
non-negative user balances, immutable entries/postings, unique idempotency keys.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from trickle_events.ledger_accounts import USER_LIABILITY_KINDS as USER_LIABILITY
from trickle_events.ledger_accounts import kind_values
from trickle_settlement.models import Base

# The kinds and user-liability kinds as SQL lists (the same lists migration 0002 wrote).
ACCOUNT_KINDS = kind_values()
USER_LIABILITY_KINDS = kind_values(USER_LIABILITY)
ACCOUNT_TYPES = ("asset", "liability", "revenue", "expense")


class LedgerAccount(Base):
    """One account of the chart, e.g. ``patron_wallet:acct_…`` (liability) or ``platform_commission`` (revenue)."""

    __tablename__ = "ledger_accounts"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str | None] = mapped_column(String(100), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("type IN ('asset', 'liability', 'revenue', 'expense')", name="type"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        CheckConstraint(f"kind IN {ACCOUNT_KINDS!r}", name="kind"),
        # User liabilities are credit-normal, so "never negative" is a plain balance >= 0.
        CheckConstraint(f"kind NOT IN {USER_LIABILITY_KINDS!r} OR type = 'liability'", name="user_liability_type"),
        # Lets postings reference (account, currency): a posting's currency is its account's.
        UniqueConstraint("id", "currency", name="uq_ledger_accounts_id_currency"),
    )


class LedgerBalance(Base):
    """The running balance of one ledger account, in its natural sign (credit-normal for liabilities).

    Written only by the postings trigger; ``non_negative`` accounts (user liabilities) are
    held at ``balance >= 0`` by a CHECK, which is what refuses an overdraft.
    """

    __tablename__ = "ledger_balances"

    account_id: Mapped[str] = mapped_column(String(200), ForeignKey("ledger_accounts.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    # +1: debit-normal (asset, expense); -1: credit-normal (liability, revenue).
    normal_sign: Mapped[int] = mapped_column(SmallInteger)
    non_negative: Mapped[bool] = mapped_column(Boolean)
    balance: Mapped[int] = mapped_column(BigInteger, server_default="0")
    posting_count: Mapped[int] = mapped_column(BigInteger, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("normal_sign IN (-1, 1)", name="normal_sign"),
        CheckConstraint("NOT non_negative OR balance >= 0", name="non_negative"),
    )


class JournalEntry(Base):
    """A balanced, immutable journal entry; ``idempotency_key`` names its cause (``transfer:tr_…``)."""

    __tablename__ = "journal_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Monotonic number of the entry (``sequence`` on ledger.entry.posted).
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=False), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str | None] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(7), index=True)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # The top-level transaction that created the entry (set by a trigger): postings may only
    # be added by that transaction, so the commit-time balance check sees all of them.
    created_xact: Mapped[int] = mapped_column(BigInteger, server_default="0")

    __table_args__ = (Index("ix_journal_entries_kind_seq", "kind", "seq"),)


class Posting(Base):
    """One line of an entry: ``amount`` > 0 debits the account, < 0 credits it."""

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    # No foreign keys: the postings trigger checks each statement's entries and (account, currency)
    # pairs exist, once per statement (migration 0011); entries and accounts can never be deleted.
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    # The account's balance (natural sign) right after this posting; checked by the trigger.
    balance_after: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_nonzero"),
        Index("ix_postings_account_id_id", "account_id", "id"),
    )
