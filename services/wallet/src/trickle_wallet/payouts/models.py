"""A payout: requested → reserved by the ledger → processing at the provider → paid | failed; or rejected."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base

STATUSES = ("requested", "reserved", "processing", "paid", "failed", "rejected")


class Payout(Base):
    __tablename__ = "payouts"
    __table_args__ = (
        CheckConstraint(
            "status IN ('requested', 'reserved', 'processing', 'paid', 'failed', 'rejected')", name="status"
        ),
        CheckConstraint("amount > 0", name="amount"),
        # The dispatcher's work list: reserved payouts not yet handed to the provider.
        Index("ix_payouts_reserved", "id", postgresql_where=text("status = 'reserved'")),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    provider: Mapped[str] = mapped_column(String(32))
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    sandbox: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="requested")
    reserve_entry_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
