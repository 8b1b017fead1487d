"""Wallet settings: environment variables prefixed TRICKLE_WALLET_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_WALLET_", extra="ignore")

    service_name: str = "wallet"
    database_url: str = f"{DEFAULT_PG}/trickle_wallet"
    port: int = 8101

    # Currencies an account may hold (one per deployment is enough at first).
    currencies: list[str] = Field(default_factory=lambda: ["EUR"])
    default_currency: str = "EUR"
    # Platform commission on what an account receives, in basis points (non-profits: 0).
    default_commission_bps: int = Field(default=1000, ge=0, le=10_000)

    # Access tokens issued by the token endpoint live this long. Retired signing keys stay
    # in the JWKS for this long (plus leeway) after a rotation, so their tokens still verify.
    access_token_ttl_s: int = Field(default=900, ge=30, le=86_400)

    # Monthly budget bounds, in minor units.
    budget_min_amount: int = Field(default=200, ge=1)
    budget_max_amount: int = Field(default=10_000_000, ge=1)
