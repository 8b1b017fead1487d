"""Response models of periods."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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


class PartitionCount(BaseModel):
    model_config = ConfigDict(title="PartitionCount")

    partition: int
    click_count: int
    revoked_count: int


class SealResult(BaseModel):
    """A sealed period, the one now open, and the per-partition counts its markers carry."""

    model_config = ConfigDict(title="SealResult")

    sealed: PeriodOut
    opened: str
    partitions: list[PartitionCount]
