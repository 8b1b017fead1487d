"""SQLAlchemy tables of the click-ledger service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from trickle_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class Account(Base):
    """What the click-ledger knows of an account (from wallet.account.* events): its privacy choice, and whether
    it may click (an operator suspended it, or its holder deleted it)."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    giving_public: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    suspended: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Period(Base):
    """A calendar month ``YYYY-MM``; exactly one is open at a time."""

    __tablename__ = "periods"

    id: Mapped[str] = mapped_column(String(7), primary_key=True)
    state: Mapped[str] = mapped_column(String(8), server_default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sealed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when every subscription active in this period has had its automatic click.
    subscriptions_done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("state IN ('open', 'sealed')", name="state"),
        CheckConstraint("id ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'", name="period_format"),
        Index("uq_periods_one_open", "state", unique=True, postgresql_where=text("state = 'open'")),
    )


class Thing(Base):
    """Something that can be clicked: a canonical URL, owned by an account or unclaimed."""

    __tablename__ = "things"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    domain: Mapped[str] = mapped_column(String(255), index=True)
    owner_id: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(40))
    weight: Mapped[int] = mapped_column(SmallInteger, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The canonical path (no query): what a path-prefix claim covers.
    path: Mapped[str] = mapped_column(String(2048))
    # The verified claim that gives the owner this thing. An owner without one is a legacy
    # owner from before ownership needed proof: the first verified claim covering it takes it.
    claim_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("weight BETWEEN 1 AND 100", name="weight_range"),
        CheckConstraint("claim_id IS NULL OR owner_id IS NOT NULL", name="claim_has_owner"),
    )

    @property
    def claim_status(self) -> str:
        """``verified`` (owned through a verified claim), ``pending_claim`` (unclaimed: its money
        waits in escrow) or ``unproven`` (owned from before ownership needed proof)."""
        if self.owner_id is None:
            return "pending_claim"
        return "verified" if self.claim_id is not None else "unproven"


class Click(Base):
    """One patron's click on one thing in one period; ``partition`` is where its events go on Kafka."""

    __tablename__ = "clicks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(64))
    # No foreign keys on thing_id and period, on purpose: a foreign-key check takes FOR KEY
    # SHARE on the referenced row, and every click would lock the one open period row (and a
    # popular thing's row), which serialises clicks through multixacts. Both values are taken
    # from existing rows in the click's own INSERT … SELECT, and things and periods are never
    # deleted, so the reference cannot dangle.
    thing_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    partition: Mapped[int] = mapped_column(SmallInteger)
    owner_id: Mapped[str | None] = mapped_column(String(64))
    weight: Mapped[int] = mapped_column(SmallInteger)
    public: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    subscription_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        # At most one live click per patron, thing and period (a revoked one may be clicked again).
        Index(
            "uq_clicks_live_per_period",
            "patron_id",
            "thing_id",
            "period",
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
        ),
        Index("ix_clicks_patron_period", "patron_id", "period", "id"),
        Index("ix_clicks_thing_period", "thing_id", "period"),
        Index("ix_clicks_period_partition", "period", "partition"),
    )


class Claim(Base):
    """An account's attempt to prove control of a domain, or of a path prefix on a shared host
    (``path_prefix`` ``/alice`` on github.com; empty for a whole domain), with a token the site serves."""

    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), index=True)
    domain: Mapped[str] = mapped_column(String(255))
    path_prefix: Mapped[str] = mapped_column(String(1024), server_default="")
    token: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), server_default="pending")
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # "proof": the site served the token; "operator": an operator verified it by other means.
    verified_by: Mapped[str | None] = mapped_column(String(12))

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'verified', 'failed')", name="status"),
        CheckConstraint("verified_by IN ('proof', 'operator')", name="verified_by"),
        # A domain (or a prefix of it) belongs to one account at a time.
        Index(
            "uq_claims_verified_domain",
            "domain",
            "path_prefix",
            unique=True,
            postgresql_where=text("status = 'verified'"),
        ),
    )


class Subscription(Base):
    """A patron's standing click on a thing for ``periods`` consecutive periods from ``first_period``."""

    __tablename__ = "subscriptions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    patron_id: Mapped[str] = mapped_column(String(64), index=True)
    thing_id: Mapped[str] = mapped_column(ForeignKey("things.id"))
    periods: Mapped[int] = mapped_column(SmallInteger)
    first_period: Mapped[str] = mapped_column(String(7))
    last_period: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("periods IN (3, 6, 12)", name="periods"),
        Index("ix_subscriptions_active", "first_period", "last_period", postgresql_where=text("cancelled_at IS NULL")),
    )


class SubscriptionPeriod(Base):
    """The automatic click of a subscription in a period was done: the exactly-once guard."""

    __tablename__ = "subscription_periods"

    subscription_id: Mapped[str] = mapped_column(ForeignKey("subscriptions.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    click_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


__all__ = ["Account", "Base", "Claim", "Click", "Period", "Subscription", "SubscriptionPeriod", "Thing"]
