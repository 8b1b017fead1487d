"""Request and response models of webhook endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from trickle_kit.pagination import Page

Url = Annotated[
    str,
    Field(
        min_length=8,
        max_length=2048,
        pattern=r"^https?://",
        description="Where deliveries are POSTed (http or https; private addresses are refused)",
        examples=["https://example.org/hooks/trickle"],
    ),
]
Description = Annotated[str, Field(max_length=500, examples=["Payments dashboard"])]
EventType = Annotated[str, Field(min_length=1, max_length=120, examples=["clicks.click.registered"])]
EventTypes = Annotated[
    list[EventType],
    Field(max_length=100, description="Event types wanted; empty means every type offered to webhooks"),
]


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    description: Description = ""
    event_types: EventTypes = []
    enabled: bool = True
    all_accounts: bool = Field(default=False, description="Operators only: receive the events of every account")
    account_id: str | None = Field(
        default=None,
        max_length=40,
        description="Operators only: the account this endpoint belongs to (callers with an account use theirs)",
    )


class WebhookEndpointUpdate(BaseModel):
    """Only the fields given change. Enabling a disabled endpoint resumes its deliveries."""

    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    description: Description | None = None
    event_types: EventTypes | None = None
    enabled: bool | None = None


class WebhookEndpoint(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["ep_0190c0ffee…"])
    account_id: str | None
    all_accounts: bool
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None = Field(description="gone (410), failing (past the window) or manual")
    disabled_at: datetime | None
    failing_since: datetime | None = Field(description="First failed attempt since the last success")
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the secret before the last rotation also signs deliveries"
    )
    created_at: datetime
    updated_at: datetime


class WebhookEndpointCreated(WebhookEndpoint):
    secret: str | None = Field(
        description="The signing secret (whsec_…), shown in this response only (null in an idempotent replay)"
    )


class WebhookEndpointList(Page[WebhookEndpoint]):
    pass


class WebhookSecretRotation(BaseModel):
    endpoint_id: str
    secret: str | None = Field(description="The new signing secret, shown once (null in an idempotent replay)")
    previous_secret_expires_at: datetime | None = Field(
        description="The old secret keeps signing deliveries (alongside the new one) until then"
    )


class WebhookRecoverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: AwareDatetime = Field(description="Re-queue every message that failed at or after this time")


class WebhookRecovery(BaseModel):
    endpoint_id: str
    requeued: int = Field(description="How many failed messages were queued again")
