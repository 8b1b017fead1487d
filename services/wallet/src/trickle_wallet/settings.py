"""Wallet settings: environment variables prefixed TRICKLE_WALLET_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class DepositFee(BaseModel):
    """A payment method's fee: ``fixed`` minor units + ``bps`` basis points of the gross amount."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fixed: int = Field(ge=0, le=100_000)
    bps: int = Field(ge=0, le=5_000)


DepositMethodName = Literal["bank_transfer", "paypal", "card"]


def _default_deposit_fees() -> dict[DepositMethodName, DepositFee]:
    return {
        "bank_transfer": DepositFee(fixed=30, bps=30),
        "paypal": DepositFee(fixed=35, bps=340),
        "card": DepositFee(fixed=30, bps=200),
    }


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

    # ---- money flows: deposits, transfers (tips), payouts (amounts in minor units) ----
    # Fee schedule per payment method (JSON in TRICKLE_WALLET_DEPOSIT_FEES); the patron bears the fee.
    deposit_fees: dict[DepositMethodName, DepositFee] = Field(default_factory=_default_deposit_fees)
    deposit_min_amount: int = Field(default=100, ge=1)
    deposit_max_amount: int = Field(default=1_000_000, ge=1)
    # A deposit the provider never answered is failed after this long (sweeper or status read).
    deposit_timeout_s: float = Field(default=900.0, gt=0)
    transfer_max_amount: int = Field(default=100_000, ge=1)
    payout_min_amount: int = Field(default=1000, ge=1)
    payout_max_amount: int = Field(default=10_000_000, ge=1)
    # Sandbox mode: requests may carry a ``sandbox`` instruction (fail, time out, duplicate callbacks...).
    payments_sandbox: bool = True
    # Where the payment provider calls back (this service's public base URL).
    provider_callback_base_url: str = "http://127.0.0.1:8101"
    sandbox_callback_secret: str = "dev-sandbox-callback-secret-change-me"
    # The sandbox answers this long after a payment starts, like a real provider's webhook.
    sandbox_callback_delay_s: float = Field(default=0.2, ge=0)
    # Signed callbacks older (or further in the future) than this are refused as replays.
    provider_callback_tolerance_s: int = Field(default=300, ge=1)
    # Worker loops: deposit time-out sweeper and payout dispatcher.
    deposit_sweep_interval_s: float = Field(default=5.0, gt=0)
    payout_dispatch_interval_s: float = Field(default=1.0, gt=0)
    # Sandbox: lose every callback (the reconciler must finish every payment).
    sandbox_lose_callbacks: bool = False
    # The reconciler asks the provider about a deposit still pending this long after it was made, and a payout
    # still processing this long after it was handed over (its callback is presumed lost); every interval.
    # Must stay under deposit_timeout_s (checked below), or the time-out fails a paid deposit first.
    reconcile_deposits_after_s: float = Field(default=120.0, gt=0)
    reconcile_payouts_after_s: float = Field(default=600.0, gt=0)
    reconcile_interval_s: float = Field(default=60.0, gt=0)
    reconcile_batch: int = Field(default=200, ge=1, le=10_000)

    # ---- OAuth 2.1 authorization server (oauth/) ----
    # The issuer of RFC 8414 metadata: the public base URL of the gateway, which also routes the
    # web front end (its consent page /oauth/authorize) and the token endpoint.
    oauth_issuer: str = "http://127.0.0.1:8080"
    # An authorization code is exchanged within this long (RFC 6749 recommends at most 10 minutes).
    oauth_code_ttl_s: int = Field(default=120, ge=10, le=600)
    # A refresh token unused this long expires; each use rotates it (a new one, same lifetime).
    oauth_refresh_token_ttl_s: int = Field(default=30 * 86_400, ge=60)

    # ---- sign-in (sign_in/): email + password, verification and reset links ----
    # The web front end's public base URL: mails link to {web_base_url}/verify-email?token=... and
    # {web_base_url}/reset-password?token=... (TRICKLE_WALLET_WEB_BASE_URL; the gateway routes the pages).
    web_base_url: str = "http://127.0.0.1:8080"
    email_verification_ttl_s: int = Field(default=48 * 3600, ge=60)
    password_reset_ttl_s: int = Field(default=3600, ge=60)
    # argon2id cost (argon2-cffi's RFC 9106 low-memory profile by default); lower only where speed beats strength.
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65_536, ge=8)
    password_hash_parallelism: int = Field(default=4, ge=1)
    # Failed sign-ins are counted per email and per client address within a window; past the limit that key is
    # locked out (429 too_many_attempts with Retry-After) for sign_in_lockout_s. Counted in PostgreSQL (all replicas).
    sign_in_failure_window_s: int = Field(default=900, ge=1)
    sign_in_lockout_s: int = Field(default=900, ge=1)
    sign_in_max_failures_per_email: int = Field(default=5, ge=1)
    sign_in_max_failures_per_address: int = Field(default=20, ge=1)
    # At most one verification (or reset) mail per account this often: resends and reset requests in between are
    # answered alike but send nothing (nobody fills a mailbox by asking again and again).
    sign_in_mail_interval_s: int = Field(default=60, ge=0)

    # ---- outgoing mail (mail/): queued in the request's transaction, sent by the worker over SMTP ----
    # `make run` points these at the local catcher (python -m trickle_kit.mail_catcher, port 8025).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65_535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    # STARTTLS after connecting (a relay on 587); smtp_use_tls is TLS from the first byte (465).
    smtp_starttls: bool = False
    smtp_use_tls: bool = False
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    mail_from: str = "Trickle <no-reply@trickle.localhost>"
    mail_send_interval_s: float = Field(default=1.0, gt=0)
    mail_batch: int = Field(default=50, ge=1, le=1_000)
    # A mail the relay refused (or could not be reached for) is tried again after base * 2^(attempts-1), at most max.
    mail_retry_base_s: float = Field(default=30.0, gt=0)
    mail_retry_max_s: float = Field(default=3600.0, gt=0)

    @model_validator(mode="after")
    def _reconciler_asks_before_the_time_out(self) -> Settings:
        # A deposit the provider charged but whose callback was lost is credited only if the reconciler
        # asks before the time-out fails it; the other way round the patron pays and is never credited.
        if self.reconcile_deposits_after_s >= self.deposit_timeout_s:
            raise ValueError(
                f"reconcile_deposits_after_s ({self.reconcile_deposits_after_s}) must be less than "
                f"deposit_timeout_s ({self.deposit_timeout_s})"
            )
        return self
