"""Settings shared by every service; each service subclasses with its own env prefix."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:55432"
DEFAULT_KAFKA = "127.0.0.1:59092"


class KitSettings(BaseSettings):
    """Common knobs. Defaults work for `make run` on this machine.

    Subclasses set ``model_config = SettingsConfigDict(env_prefix="TRICKLE_<SERVICE>_")``;
    the shared ones (Kafka, operator token, JWKS) can also be given once for all services
    through ``TRICKLE_<NAME>`` (see ``shared_env``).
    """

    model_config = SettingsConfigDict(env_prefix="TRICKLE_", extra="ignore")

    service_name: str = "trickle"
    database_url: str = f"{DEFAULT_PG}/trickle"
    db_pool_size: int = Field(default=10, ge=1, le=200)
    kafka_bootstrap: str = DEFAULT_KAFKA
    # Prepended to every topic name: lets test runs and demos use isolated topics.
    topic_prefix: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    # Where tokens are verified: the wallet's published keys.
    jwks_url: str = "http://127.0.0.1:8101/v1/.well-known/jwks.json"
    token_issuer: str = "trickle-wallet"
    token_audience: str = "trickle"
    # Verified tokens remembered per process (trickle_kit.auth.TokenVerifier, least recently used
    # out first). A token not remembered has its Ed25519 signature checked again: with more
    # patrons clicking through one API process than this, most clicks pay that check.
    token_cache_size: int = Field(default=10_000, ge=0)
    # Bootstrapped operator credential (a client secret exchanged for an operator token).
    operator_client_id: str = "operator"
    operator_client_secret: str = "dev-operator-secret-change-me"
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # Rate limits (trickle_kit.ratelimit), in the `limits` library's notation: per token subject
    # (else client address), and per address on the token endpoint. Tests may disable them.
    rate_limit_enabled: bool = True
    rate_limit: str = "100/second"
    rate_limit_token: str = "60/minute"
    rate_limit_storage: str = "memory://"
    # Outbound fetches of user-given URLs (trickle_kit.ssrf): networks ("127.0.0.0/8") or host
    # names that may be reached although not public. Empty in production; tests allow loop-back.
    ssrf_allow: list[str] = []
    # Metrics (trickle_kit.metrics): a worker serves /metrics on this port (0: none; an API serves it on
    # its own port); host 0.0.0.0 in containers. Gauges read from the database are sampled this often.
    metrics_port: int = Field(default=0, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    metrics_sample_interval_s: float = Field(default=15.0, gt=0)
    # The outbox relay, woken by a commit, waits this long before it claims, so that the commits of
    # the next few milliseconds share its claim, send and commit (trickle_kit.relay.OutboxRelay).
    relay_linger_s: float = Field(default=0.01, ge=0, le=1)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The service's own prefix wins; then the deployment-wide TRICKLE_ variables.
        shared = EnvSettingsSource(settings_cls, env_prefix="TRICKLE_")
        return (init_settings, env_settings, shared, dotenv_settings, file_secret_settings)

    def topic(self, name: str) -> str:
        """The Kafka topic for a logical topic name, with this deployment's prefix."""
        return f"{self.topic_prefix}{name}"
