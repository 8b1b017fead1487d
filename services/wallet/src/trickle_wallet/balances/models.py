"""Balance read model: the latest ``balance_after`` the ledger reported per account and ledger account kind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base


class BalanceLine(Base):
    __tablename__ = "balance_lines"

    account_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # The ledger account kind an account holds (``trickle_events.ledger_accounts.HOLDER_KINDS``).
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    balance: Mapped[int] = mapped_column(BigInteger)
    # The entry this balance reflects, and what orders entries (sequence when the ledger sends it).
    entry_id: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
