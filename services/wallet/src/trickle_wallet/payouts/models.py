"""A payout: requested → reserved by the ledger → processing at the provider → paid | failed; or rejected."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, text

from trickle_wallet.models import Base
from trickle_wallet.outgoing.models import STATUS_CHECK, STATUSES, OutgoingPayment

__all__ = ["STATUSES", "Payout"]


class Payout(OutgoingPayment, Base):
    __tablename__ = "payouts"
    __table_args__ = (
        CheckConstraint(STATUS_CHECK, name="status"),
        CheckConstraint("amount > 0", name="amount"),
        # The dispatcher's work list: reserved payouts not yet handed to the provider.
        Index("ix_payouts_reserved", "id", postgresql_where=text("status = 'reserved'")),
    )
