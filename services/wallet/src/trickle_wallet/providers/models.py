"""Every callback a provider sent us, once: the table that makes duplicate callbacks harmless."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_wallet.models import Base


class ProviderCallback(Base):
    __tablename__ = "provider_callbacks"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    callback_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    object_type: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(16))
    # What the callback did: applied, unchanged (same or no-op status), ignored (would regress a final status).
    outcome: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
