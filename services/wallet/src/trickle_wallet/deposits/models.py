"""A deposit: money coming in through a payment provider (pending → succeeded | failed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base

METHODS = ("bank_transfer", "paypal", "card")
STATUSES = ("pending", "succeeded", "failed")


class Deposit(Base):
    __tablename__ = "deposits"
    __table_args__ = (
        CheckConstraint("method IN ('bank_transfer', 'paypal', 'card')", name="method"),
        CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="status"),
        CheckConstraint("gross > 0 AND fee >= 0 AND net > 0 AND gross = fee + net", name="amounts"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        # The sweeper's work list: pending deposits by deadline.
        Index("ix_deposits_pending_expires_at", "expires_at", postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(32))
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    gross: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    # The sandbox instruction the deposit was made with (sandbox mode only).
    sandbox: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
