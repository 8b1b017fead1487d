"""The escrow's table: who paid what into an unclaimed thing's escrow, in which period."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from trickle_settlement.models import Base


class EscrowContribution(Base):
    """What one patron paid into one unclaimed thing's escrow in one period (for claims and refunds)."""

    __tablename__ = "close_escrow_contributions"

    thing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # held → released (claimed: moved to the claimant) or refunded (back to the patron).
    status: Mapped[str] = mapped_column(String(16), server_default="held")
    settled_by: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("status IN ('held', 'released', 'refunded')", name="status"),
        Index("ix_close_escrow_contributions_held", "period", "thing_id", postgresql_where=text("status = 'held'")),
    )
