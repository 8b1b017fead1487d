"""Webhook endpoints: where an account (or an operator, for every account) wants events delivered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from trickle_webhook.models import Base


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # None for an operator endpoint that receives every account's events (all_accounts).
    account_id: Mapped[str | None] = mapped_column(String(40))
    all_accounts: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str] = mapped_column(String(500), server_default="")
    # Empty: every event type offered to webhooks.
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(120)), server_default="{}")
    enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    disabled_reason: Mapped[str | None] = mapped_column(String(40))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The signing secret (``whsec_…``). Kept in clear: every delivery is signed with it.
    secret: Mapped[str] = mapped_column(Text)
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # First failed attempt since the last success; None while healthy.
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_webhook_endpoints_account_id", "account_id", postgresql_where=text("enabled")),
        Index("ix_webhook_endpoints_all_accounts", "id", postgresql_where=text("enabled AND all_accounts")),
    )
