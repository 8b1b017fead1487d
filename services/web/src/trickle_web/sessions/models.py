"""A browser's server-side session: the cookie holds a random id, this row holds what it stands for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from trickle_web.models import Base


class WebSession(Base):
    """One browser's session. Before sign-in only ``csrf_secret`` is set (the forms need it).

    ``id`` is the SHA-256 of the cookie's value, so a copy of this table opens no session.
    """

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    csrf_secret: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(64))
    access_token: Mapped[str | None] = mapped_column(Text)
    access_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refresh_token: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Idle expiry, moved forward as the session is used; never past created_at + the maximum age.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_web_sessions_expires_at", "expires_at"),)
