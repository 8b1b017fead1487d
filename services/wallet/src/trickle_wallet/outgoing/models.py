"""The columns every outgoing payment has (a payout of earnings, a refund of the wallet), as a mapped mixin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

# requested → reserved by the ledger → processing at the provider → paid | failed; or rejected by the ledger.
STATUSES = ("requested", "reserved", "processing", "paid", "failed", "rejected")
STATUS_CHECK = "status IN ('requested', 'reserved', 'processing', 'paid', 'failed', 'rejected')"
IN_FLIGHT = ("requested", "reserved", "processing")


class OutgoingPayment:
    """Mixed into a mapped class of ``trickle_wallet.models.Base`` (``Payout``, ``Refund``)."""

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(40), ForeignKey("accounts.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    provider: Mapped[str] = mapped_column(String(32))
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    sandbox: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="requested")
    reserve_entry_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
