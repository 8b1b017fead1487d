"""Click-ledger settings: environment variables prefixed TRICKLE_CLICK_LEDGER_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_CLICK_LEDGER_", extra="ignore")

    service_name: str = "click-ledger"
    database_url: str = f"{DEFAULT_PG}/trickle_click_ledger"
    port: int = 8102
