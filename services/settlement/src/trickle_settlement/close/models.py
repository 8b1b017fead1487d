"""Tables of the period close: the click and thing projections, seal markers, close progress, escrow."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from trickle_settlement.models import Base

PERIOD_STATUSES = ("open", "closing", "closed")


class ProjectedClick(Base):
    """One click of a period (from ``clicks.click.registered``); a revocation marks it.

    ``owner_id``/``weight`` come from the click, are refreshed from the things projection
    while the period is open, and are frozen when its close starts.
    """

    __tablename__ = "close_clicks"

    click_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    patron_id: Mapped[str] = mapped_column(String(100))
    thing_id: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[str | None] = mapped_column(String(100))
    weight: Mapped[int] = mapped_column(Integer)
    clicked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("weight BETWEEN 1 AND 100", name="weight"),
        # The close walks a period patron by patron (keyset over patron_id).
        Index("ix_close_clicks_period_patron", "period", "patron_id"),
        Index("ix_close_clicks_thing_id", "thing_id"),
    )


class ProjectedThing(Base):
    """Owner (null: unclaimed) and weight of a thing, from ``clicks.thing.*``."""

    __tablename__ = "close_things"

    thing_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[str | None] = mapped_column(String(100))
    weight: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PartitionCount(Base):
    """Click records of a period seen per Kafka partition: compared with the seal markers' counts."""

    __tablename__ = "close_partition_counts"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    registered: Mapped[int] = mapped_column(BigInteger, server_default="0")
    revoked: Mapped[int] = mapped_column(BigInteger, server_default="0")


class SealMarker(Base):
    """A ``clicks.period.sealed`` marker, one per partition of the click topic."""

    __tablename__ = "close_seal_markers"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    partitions: Mapped[int] = mapped_column(Integer)
    click_count: Mapped[int] = mapped_column(BigInteger)
    revoked_count: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PeriodClose(Base):
    """Status and totals of a period's close; ``reason`` says why an automatic close has not started."""

    __tablename__ = "close_periods"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    reason: Mapped[str | None] = mapped_column(Text)
    started_by: Mapped[str | None] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    # Progress: every patron up to and including this id is settled (or rolled over).
    last_patron_id: Mapped[str | None] = mapped_column(String(100))
    patrons_settled: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_spent: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_commission: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_escrow: Mapped[int] = mapped_column(BigInteger, server_default="0")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (CheckConstraint(f"status IN {PERIOD_STATUSES!r}", name="status"),)


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
