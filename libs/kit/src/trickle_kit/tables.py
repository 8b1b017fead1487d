"""The kit's own tables, created in every service's database by its first migration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Index, Integer, LargeBinary, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from trickle_kit.db import KitBase
from trickle_kit.json_text import JsonText


class OutboxRecord(KitBase):
    """An event waiting to be (or already) published; written in the producer's transaction."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    topic: Mapped[str] = mapped_column(String(200))
    key: Mapped[str | None] = mapped_column(String(200))
    partition: Mapped[int | None] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str | None] = mapped_column(String(200))
    schema_version: Mapped[int] = mapped_column(Integer)
    # JSON kept as the text the writer encoded (see json_text.py): the relay sends it as it is.
    payload: Mapped[dict[str, Any]] = mapped_column(JsonText)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # W3C trace context of the transaction that staged the event (the CloudEvents distributed-tracing
    # extension); NULL when tracing is off. See trickle_kit.tracing.
    traceparent: Mapped[str | None] = mapped_column(String(128))
    tracestate: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),)


class ProcessedEvent(KitBase):
    """The inbox: one row per (consumer, event) applied, written with the event's effect."""

    __tablename__ = "processed_events"

    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    outcome: Mapped[str] = mapped_column(String(16), server_default="applied")
    error: Mapped[str | None] = mapped_column(Text)


class IdempotencyRecord(KitBase):
    """A stored response for an Idempotency-Key, scoped to the caller (see idempotency.py)."""

    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_headers: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
