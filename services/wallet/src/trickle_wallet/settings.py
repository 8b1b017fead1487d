"""Wallet settings: environment variables prefixed TRICKLE_WALLET_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_WALLET_", extra="ignore")

    service_name: str = "wallet"
    database_url: str = f"{DEFAULT_PG}/trickle_wallet"
    port: int = 8101
