"""Response model of a seal."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from trickle_click_ledger.periods.schemas import PeriodOut


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
