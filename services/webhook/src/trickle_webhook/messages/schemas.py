"""Response models of messages and attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.pagination import Page

MessageStatus = Literal["pending", "succeeded", "failed"]


class WebhookMessage(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="Also the webhook-id header of its deliveries", examples=["msg_0190c0ffee…"])
    endpoint_id: str
    event_id: str
    event_type: str
    body: dict[str, Any] = Field(description='What is delivered: {"type", "timestamp", "data"}')
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class WebhookMessageList(Page[WebhookMessage]):
    pass


class WebhookAttempt(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["att_0190c0ffee…"])
    message_id: str
    endpoint_id: str
    attempt: int = Field(description="1 for the first attempt of the message")
    outcome: Literal["succeeded", "failed", "timeout", "connect_error", "refused"]
    status_code: int | None
    latency_ms: int
    response_excerpt: str | None = Field(description="The start of the response body (at most 4 KiB)")
    error: str | None
    started_at: datetime


class WebhookAttemptList(Page[WebhookAttempt]):
    pass
