"""Request and response models of clicks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trickle_click_ledger.things.schemas import Url
from trickle_kit.pagination import Page

ThingId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^thing_[0-9a-f]{32}$")]


class ClickCreate(BaseModel):
    """Click a registered thing (``thing_id``) or any web page (``url``): exactly one of them."""

    model_config = ConfigDict(extra="forbid", title="ClickCreate")

    thing_id: ThingId | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.thing_id is None) == (self.url is None):
            raise ValueError("give exactly one of thing_id and url")
        return self


class ClickOut(BaseModel):
    """A patron's click on a thing in a period (``revoked_at`` set: revoked)."""

    model_config = ConfigDict(from_attributes=True, title="Click")

    id: str = Field(examples=["clk_0190c1e4a7b37a4c9a1f2b3c4d5e6f70"])
    patron_id: str
    thing_id: str
    owner_id: str | None
    period: str = Field(examples=["2026-11"])
    weight: int
    public: bool
    subscription_id: str | None
    created_at: datetime
    revoked_at: datetime | None


class ClickList(Page[ClickOut]):
    """A page of your clicks."""

    model_config = ConfigDict(title="ClickList")


class ThingClickOut(BaseModel):
    """A click on your thing; ``patron_id`` is shown only when the patron gives publicly."""

    model_config = ConfigDict(title="ThingClick")

    id: str
    period: str
    patron_id: str | None
    public: bool
    created_at: datetime


class ThingClickList(Page[ThingClickOut]):
    """A page of clicks on a thing."""

    model_config = ConfigDict(title="ThingClickList")
