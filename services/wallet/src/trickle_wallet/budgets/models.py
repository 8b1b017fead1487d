"""A patron's monthly budget (absent row: no budget, nothing is spent)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base


class Budget(Base):
    __tablename__ = "budgets"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("min_per_click IS NULL OR min_per_click >= 0", name="min_per_click"),
        CheckConstraint("max_per_month IS NULL OR max_per_month >= amount", name="max_per_month"),
        CheckConstraint("enabled OR amount = 0", name="disabled_is_zero"),
    )

    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    min_per_click: Mapped[int | None] = mapped_column(BigInteger)
    max_per_month: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
