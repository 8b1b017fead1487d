"""Settlement settings: environment variables prefixed TRICKLE_SETTLEMENT_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_SETTLEMENT_", extra="ignore")

    service_name: str = "settlement"
    database_url: str = f"{DEFAULT_PG}/trickle_settlement"
    port: int = 8103
