"""Web settings: environment variables prefixed TRICKLE_WEB_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_WEB_", extra="ignore")

    service_name: str = "web"
    # Server-side sessions only (the money lives behind the APIs).
    database_url: str = f"{DEFAULT_PG}/trickle_web"
    port: int = 8105

    # Where the pages reach the public API: the gateway (never a service directly).
    api_base_url: str = "http://127.0.0.1:8080"
    api_timeout_s: float = Field(default=15.0, gt=0)
    # The address people reach Trickle at (the gateway), for what the pages hand out to paste
    # elsewhere (the widget snippet). Empty: the request's own, which behind nginx's `$host` has no
    # port (right on :443, wrong for `make run`'s :8080).
    public_base_url: str = ""
    # Cookies carry `Secure` (sent over HTTPS only): true in every deployment behind TLS;
    # false for `make run` on plain http://127.0.0.1.
    secure_cookies: bool = False
    # The OAuth client the sign-in sessions belong to (a built-in public client of the wallet).
    oauth_client_id: str = "trickle-web"
    # A signed-in session lasts this long without use, and at most max_age_s in all.
    session_idle_s: float = Field(default=14 * 86400.0, gt=0)
    session_max_age_s: float = Field(default=30 * 86400.0, gt=0)
    # A visitor's session before signing in (it only holds the forms' CSRF secret).
    anonymous_session_s: float = Field(default=2 * 3600.0, gt=0)
    # The access token is refreshed when it has less than this left.
    refresh_margin_s: float = Field(default=60.0, ge=0)
    # The deployment's currency (SPEC: one per deployment, EUR by default).
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    # The deposit form offers the sandbox provider's outcomes (succeed, fail…): the wallet's
    # payments_sandbox mode. Off when a real provider takes the money.
    sandbox_checkout: bool = True
