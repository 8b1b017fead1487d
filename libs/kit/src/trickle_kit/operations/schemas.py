"""Response models of the operator endpoints (named for OpenAPI; one schema for every service)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.pagination import Page


class OutboxBacklog(BaseModel):
    """A service's transactional outbox: events committed but not yet published to Kafka."""

    model_config = ConfigDict(title="OutboxBacklog")

    service: str = Field(examples=["wallet"])
    pending: int = Field(description="Unpublished events", examples=[0])
    oldest_age_s: float | None = Field(
        default=None, description="Seconds the oldest unpublished event has waited (null when none)"
    )
    oldest_occurred_at: datetime | None = None


class DeadLetter(BaseModel):
    """An event one of the service's consumers could not apply; it went to ``<topic>.dlq``."""

    model_config = ConfigDict(title="DeadLetter")

    event_id: str = Field(examples=["evt_0190c0ffee…"])
    service: str = Field(examples=["settlement"])
    consumer: str = Field(examples=["settlement.wallet"])
    dead_at: datetime
    error: str | None = Field(default=None, description="Why the handler refused it")


class DeadLetterList(Page[DeadLetter]):
    """A page of dead letters, oldest event first."""

    model_config = ConfigDict(title="DeadLetterList")


class DeadLetterDetail(DeadLetter):
    """A dead letter with its record, read back from the dead-letter topic."""

    model_config = ConfigDict(title="DeadLetterDetail")

    topic: str | None = Field(default=None, description="The topic it was consumed from (null: record not found)")
    partition: int | None = None
    offset: int | None = None
    event_type: str | None = Field(default=None, examples=["wallet.payout.paid"])
    reason: str | None = Field(default=None, description="The reason the dead-letter record carries")
    payload: Any = Field(default=None, description="The event's payload as published")


class DeadLetterReplay(BaseModel):
    """A replayed dead letter: its record is back on its topic; the consumers named will apply it once."""

    model_config = ConfigDict(title="DeadLetterReplay")

    event_id: str
    service: str
    consumers: list[str]
    topic: str
    status: Literal["replayed"] = "replayed"
