"""A refund: requested → reserved by the ledger → processing at the provider → paid | failed; or rejected."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, text

from trickle_wallet.models import Base
from trickle_wallet.outgoing.models import STATUS_CHECK, OutgoingPayment


class Refund(OutgoingPayment, Base):
    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint(STATUS_CHECK, name="status"),
        CheckConstraint("amount > 0", name="amount"),
        # The dispatcher's work list: reserved refunds not yet handed to the provider.
        Index("ix_refunds_reserved", "id", postgresql_where=text("status = 'reserved'")),
    )
