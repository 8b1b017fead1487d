"""Request/response models of the period close API (named for OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trickle_kit.money import Money


class SealMarkerOut(BaseModel):
    """A seal marker received for one partition of the click topic."""

    model_config = ConfigDict(title="SealMarker")

    partition: int
    partitions: int
    click_count: int
    revoked_count: int
    received_at: datetime


class PeriodTotals(BaseModel):
    """What a close has settled so far (final once the period is closed)."""

    model_config = ConfigDict(title="PeriodTotals")

    patrons_settled: int = Field(description="Patrons for whom an entry was posted")
    spent: Money
    commission: Money
    escrow: Money


class CloseProgress(BaseModel):
    """How far the close has got: patrons done (settled or rolled over) out of the period's patrons."""

    model_config = ConfigDict(title="CloseProgress")

    patrons_done: int = Field(ge=0, examples=[1200])
    patrons_total: int = Field(ge=0, description="Patrons with an unrevoked click in the period", examples=[20000])


class PeriodStatus(BaseModel):
    """Settlement status of a period: ``open`` (not closing yet; ``reason`` says what it waits for),
    ``closing`` (the close is running or will resume) or ``closed``."""

    model_config = ConfigDict(title="PeriodStatus")

    period: str = Field(examples=["2026-11"])
    status: Literal["open", "closing", "closed"]
    reason: str | None = Field(default=None, description="Why an automatic close has not started")
    started_by: str | None = Field(default=None, examples=["seal_markers", "operator"])
    started_at: datetime | None = None
    closed_at: datetime | None = None
    seal_markers: list[SealMarkerOut]
    totals: PeriodTotals | None = Field(default=None, description="Operators only")
    progress: CloseProgress | None = Field(default=None, description="Operators only")
