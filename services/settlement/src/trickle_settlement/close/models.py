"""Tables of the period close: seal markers and the click counts they are checked against, close progress
and the shards a close is cut into."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_settlement.models import Base

PERIOD_STATUSES = ("open", "closing", "closed")
SHARD_STATUSES = ("open", "done")


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
    # The period's patrons (with a live click), counted when the shards are cut; None before, and for
    # a close whose shards were cut before it was kept (its progress counts the clicks).
    patrons_total: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the budgets and commission terms the close settles with were frozen (``close_budgets``,
    # ``close_commission_terms``); None for a close started before they were (frozen at its next run).
    inputs_frozen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (CheckConstraint(f"status IN {PERIOD_STATUSES!r}", name="status"),)


class CloseShard(Base):
    """A range of a closing period's patrons, ``(after, upto]`` (``upto`` None: to the end), that one
    worker at a time settles (leased with an advisory lock), with its own cursor and totals.

    The shards are cut once, when the close first runs; the period is finished (its totals
    summed from the shards) when every shard is ``done``.
    """

    __tablename__ = "close_shards"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True)
    after: Mapped[str] = mapped_column(String(100))
    upto: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    # Progress: every patron of the shard up to and including this id is settled (or rolled over).
    last_patron_id: Mapped[str] = mapped_column(String(100))
    patrons_settled: Mapped[int] = mapped_column(BigInteger, server_default="0")
    # Patrons the cursor has passed (settled or nothing to settle): the close's progress.
    patrons_walked: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_spent: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_commission: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_escrow: Mapped[int] = mapped_column(BigInteger, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (CheckConstraint(f"status IN {SHARD_STATUSES!r}", name="status"),)
