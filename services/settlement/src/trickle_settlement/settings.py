"""Settlement settings: environment variables prefixed TRICKLE_SETTLEMENT_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_SETTLEMENT_", extra="ignore")

    service_name: str = "settlement"
    database_url: str = f"{DEFAULT_PG}/trickle_settlement"
    port: int = 8103
    # One currency per deployment (SPEC 3); totals of a period close are in it.
    currency: str = "EUR"
    # Period close: patrons settled per transaction, and how many closed periods escrow of an
    # unclaimed thing waits before it is refunded to the patrons who paid it in.
    close_batch_patrons: int = Field(default=5000, ge=1, le=10_000)
    escrow_refund_after_periods: int = Field(default=6, ge=1, le=120)
    close_poll_interval_s: float = Field(default=2.0, gt=0)
