"""Response models of periods."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_click_ledger.models import Period
from trickle_click_ledger.periods.calendar import ends_at
from trickle_kit.pagination import Page


class PeriodOut(BaseModel):
    """A calendar month (UTC) of clicks."""

    model_config = ConfigDict(from_attributes=True, title="Period")

    id: str = Field(examples=["2026-11"])
    state: Literal["open", "sealed"]
    opened_at: datetime
    sealed_at: datetime | None
    ends_at: datetime = Field(description="When the scheduler seals it (end of the UTC month)")


class PeriodList(Page[PeriodOut]):
    model_config = ConfigDict(title="PeriodList")


def period_out(period: Period) -> PeriodOut:
    return PeriodOut(
        id=period.id,
        state=period.state,
        opened_at=period.opened_at,
        sealed_at=period.sealed_at,
        ends_at=ends_at(period.id),
    )
