"""Read models fed by wallet events: who pays what commission, and each patron's budget."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_settlement.models import Base


class AccountProfile(Base):
    """Commission terms of an account (from ``wallet.account.created|updated``)."""

    __tablename__ = "account_profiles"

    account_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    non_profit: Mapped[bool] = mapped_column(Boolean, server_default="false")
    commission_bps: Mapped[int] = mapped_column(Integer, server_default="1000")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (CheckConstraint("commission_bps BETWEEN 0 AND 10000", name="commission_bps"),)


class PatronBudget(Base):
    """A patron's monthly budget as last announced by ``wallet.budget.updated`` (amounts in minor units)."""

    __tablename__ = "patron_budgets"

    account_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    min_per_click: Mapped[int | None] = mapped_column(BigInteger)
    max_per_month: Mapped[int | None] = mapped_column(BigInteger)
    # The wallet's change time: an older update arriving late never overwrites a newer one.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)
