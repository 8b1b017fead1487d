"""Request and response models of subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_click_ledger.clicks.schemas import ThingId
from trickle_kit.pagination import Page


class SubscriptionCreate(BaseModel):
    """Click a thing automatically in each of the next 3, 6 or 12 periods (from the open one)."""

    model_config = ConfigDict(extra="forbid", title="SubscriptionCreate")

    thing_id: ThingId
    periods: Literal[3, 6, 12]


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, title="Subscription")

    id: str = Field(examples=["sub_0190c1e4a7b37a4c9a1f2b3c4d5e6f70"])
    patron_id: str
    thing_id: str
    periods: int
    first_period: str
    last_period: str
    created_at: datetime
    cancelled_at: datetime | None


class SubscriptionList(Page[SubscriptionOut]):
    """A page of your subscriptions."""

    model_config = ConfigDict(title="SubscriptionList")
