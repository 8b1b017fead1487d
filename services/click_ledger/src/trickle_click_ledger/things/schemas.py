"""Request and response models of things."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.pagination import Page

Title = Annotated[str, Field(min_length=1, max_length=300)]
Category = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        examples=["article", "video", "podcast", "repository", "comment"],
    ),
]
Weight = Annotated[int, Field(ge=1, le=100, description="How much a click on it counts (1–100)")]
Url = Annotated[str, Field(min_length=1, max_length=2048, examples=["https://example.org/posts/42"])]


class ThingCreate(BaseModel):
    """Register a thing you own."""

    model_config = ConfigDict(extra="forbid", title="ThingCreate")

    url: Url
    title: Title | None = None
    category: Category | None = None
    weight: Weight = 1


class ThingUpdate(BaseModel):
    """Change what you set on your thing (absent fields stay as they are)."""

    model_config = ConfigDict(extra="forbid", title="ThingUpdate")

    title: Title | None = None
    category: Category | None = None
    weight: Weight | None = None


class ThingOut(BaseModel):
    """A thing: owned by an account, or unclaimed (``owner_id`` null)."""

    model_config = ConfigDict(from_attributes=True, title="Thing")

    id: str = Field(examples=["thing_0190c1e4a7b37a4c9a1f2b3c4d5e6f70"])
    url: str
    domain: str
    owner_id: str | None
    title: str | None
    category: str | None
    weight: int
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None


class ThingList(Page[ThingOut]):
    """A page of things."""

    model_config = ConfigDict(title="ThingList")


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
