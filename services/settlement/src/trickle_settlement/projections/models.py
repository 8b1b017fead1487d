"""Read models of other services' facts, as the settlement needs them.

From the wallet: each account's commission terms and each patron's budget. From the
click-ledger: each click of a period and each thing's owner and weight. And what a close
settles with: the budgets and commission terms frozen when the period's close started.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_settlement.commission import DEFAULT_COMMISSION_BPS
from trickle_settlement.models import Base


class AccountProfile(Base):
    """Commission terms of an account (from ``wallet.account.created|updated``)."""

    __tablename__ = "account_profiles"

    account_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    non_profit: Mapped[bool] = mapped_column(Boolean, server_default="false")
    commission_bps: Mapped[int] = mapped_column(Integer, server_default=str(DEFAULT_COMMISSION_BPS))
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


class ProjectedClick(Base):
    """One click of a period (from ``clicks.click.registered``); a revocation marks it.

    ``owner_id``/``weight`` are reconciled with the things projection (``projections.things``)
    while the period is open, and frozen when its close starts.
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


class FrozenBudget(Base):
    """A patron's budget as it was when the close of ``period`` started: the close settles with it,
    whatever ``patron_budgets`` says meanwhile (a change applies from the next period).

    Copied by ``projections.accounts.freeze_for_close`` for every patron with clicks in the period.
    """

    __tablename__ = "close_budgets"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    min_per_click: Mapped[int | None] = mapped_column(BigInteger)
    max_per_month: Mapped[int | None] = mapped_column(BigInteger)


class FrozenCommissionTerms(Base):
    """A recipient's commission terms as they were when the close of ``period`` started (the terms, not
    the rate: ``commission.rate_of`` stays the one rule). An account absent here was never announced
    then and pays the default, as in ``commission_rates``."""

    __tablename__ = "close_commission_terms"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    non_profit: Mapped[bool] = mapped_column(Boolean)
    commission_bps: Mapped[int] = mapped_column(Integer)
