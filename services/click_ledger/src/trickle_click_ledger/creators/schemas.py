"""The public profile's shape: only what anybody may see (SPEC: privacy)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PublicThing(BaseModel):
    model_config = ConfigDict(title="PublicThing")

    id: str
    url: str
    title: str | None
    category: str | None
    period_clicks: int = Field(description="Live clicks in the open period")
    all_time_clicks: int = Field(description="Live clicks of all time")


class PublicSupporter(BaseModel):
    model_config = ConfigDict(title="PublicSupporter")

    account_id: str


class CreatorProfile(BaseModel):
    """A creator's things with their counts, and who supports them, for patrons who give publicly only."""

    model_config = ConfigDict(title="CreatorProfile")

    account_id: str
    period: str = Field(description="The open period the period counts are of", examples=["2026-12"])
    things: list[PublicThing] = Field(description="The creator's things, oldest first (at most 100)")
    supporters: list[PublicSupporter] = Field(
        description="Patrons giving publicly now with a live click on one of the things, latest first (at most 50); "
        "nobody who gives privately"
    )
