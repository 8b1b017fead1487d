"""A transfer (tip): requested here, posted (or refused) by the ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base


class Transfer(Base):
    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'completed', 'rejected')", name="status"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("from_account_id <> to_account_id", name="not_to_self"),
        CheckConstraint(
            "status <> 'completed' OR (commission >= 0 AND net >= 0 AND commission + net = amount)",
            name="completed_amounts",
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    from_account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    to_account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(String(280))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    commission: Mapped[int | None] = mapped_column(BigInteger)
    net: Mapped[int | None] = mapped_column(BigInteger)
    ledger_entry_id: Mapped[str | None] = mapped_column(String(64))
    rejection_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
