"""Webhook settings: environment variables prefixed TRICKLE_WEBHOOK_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_WEBHOOK_", extra="ignore")

    service_name: str = "webhook"
    database_url: str = f"{DEFAULT_PG}/trickle_webhook"
    port: int = 8104
