"""Response models of widgets."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ThingCounts(BaseModel):
    """Live click counts of a thing."""

    model_config = ConfigDict(title="ThingCounts")

    thing_id: str
    period: str
    period_clicks: int
    all_time_clicks: int
