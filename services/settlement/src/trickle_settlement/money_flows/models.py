"""What the ledger refused, so that a request asked again gets the same answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_settlement.models import Base


class Refusal(Base):
    """A transfer, payout or refund the ledger rejected, by the idempotency key its entry would have had."""

    __tablename__ = "ledger_refusals"

    request_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    reason: Mapped[str] = mapped_column(String(40))
    refused_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
