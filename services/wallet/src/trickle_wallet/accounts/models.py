"""Accounts: every account can give (patron) and receive (creator)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base

KINDS = ("person", "organisation")


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'organisation')", name="kind"),
        CheckConstraint("commission_bps BETWEEN 0 AND 10000", name="commission_bps"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        # A non-profit pays no commission on what it receives.
        CheckConstraint("NOT non_profit OR commission_bps = 0", name="non_profit_commission"),
        # A deleted account stays suspended: nothing new happens to it.
        CheckConstraint("deleted_at IS NULL OR suspended", name="deleted_suspended"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # Stored lower-cased; one account per address.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    non_profit: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    giving_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    commission_bps: Mapped[int] = mapped_column(Integer, default=1000, server_default="1000")
    # Operator suspension: no new clicks, deposits, tips or payouts; reads and the money stay.
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the holder deleted the account (personal data erased, the id kept as a pseudonym).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
