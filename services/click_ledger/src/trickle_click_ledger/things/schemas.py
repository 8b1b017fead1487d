"""Request and response models of things."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


ClaimStatus = Literal["verified", "pending_claim", "unproven"]
CLAIM_HINTS: dict[str, str | None] = {
    "verified": None,
    "pending_claim": (
        "Nobody has proved control of this URL's site yet: its money waits in escrow. Verify a claim "
        "on its domain (or, on a shared host such as github.com, on your path prefix) with POST "
        "/v1/claims and it becomes yours, escrow included."
    ),
    "unproven": ("Owned from before ownership needed proof: the first verified claim covering this URL takes it over."),
}


class ThingOut(BaseModel):
    """A thing: owned by an account, or unclaimed (``owner_id`` null, ``claim_status`` ``pending_claim``)."""

    model_config = ConfigDict(from_attributes=True, title="Thing")

    id: str = Field(examples=["thing_0190c1e4a7b37a4c9a1f2b3c4d5e6f70"])
    url: str
    domain: str
    owner_id: str | None
    claim_status: ClaimStatus = Field(
        description="verified: owned through a verified claim; pending_claim: unclaimed, its money waits in "
        "escrow; unproven: owned from before ownership needed proof (the first verified claim takes it)"
    )
    claim_hint: str | None = Field(default=None, description="What to do about the claim status, if anything")
    title: str | None
    category: str | None
    weight: int
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None

    @model_validator(mode="after")
    def _hint(self) -> ThingOut:
        self.claim_hint = CLAIM_HINTS[self.claim_status]
        return self


class ThingList(Page[ThingOut]):
    """A page of things."""

    model_config = ConfigDict(title="ThingList")
