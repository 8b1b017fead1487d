"""Webhook settings: environment variables prefixed TRICKLE_WEBHOOK_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings

# SPEC 8: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (seconds before each attempt).
DEFAULT_SCHEDULE = [0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0]


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_WEBHOOK_", extra="ignore")

    service_name: str = "webhook"
    database_url: str = f"{DEFAULT_PG}/trickle_webhook"
    port: int = 8104

    # Delay before each attempt of a message; its length is the number of attempts.
    retry_schedule_s: list[float] = Field(default_factory=lambda: list(DEFAULT_SCHEDULE), min_length=1)
    # Each retry delay is multiplied by a random factor in [1 - jitter, 1 + jitter].
    retry_jitter: float = Field(default=0.2, ge=0.0, lt=1.0)
    # A Retry-After longer than this is clamped (a receiver cannot park a message for ever).
    max_retry_after_s: float = Field(default=86400.0, gt=0)
    attempt_timeout_s: float = Field(default=15.0, gt=0)
    # An endpoint failing without a single success for this long is disabled.
    disable_after_failing_s: float = Field(default=5 * 86400.0, gt=0)
    # The previous secret keeps signing deliveries this long after a rotation.
    secret_grace_s: float = Field(default=86400.0, ge=0)
    # Serialised payloads above this are not delivered (the message fails with payload_too_large).
    max_payload_bytes: int = Field(default=256 * 1024, ge=1024)
    response_excerpt_bytes: int = Field(default=4096, ge=0, le=4096)

    # Delivery worker: at most this many deliveries in flight in one process …
    delivery_concurrency: int = Field(default=64, ge=1, le=1024)
    # … and at most this many per endpoint (1 while the endpoint is failing), so that a slow or
    # dead endpoint occupies a few slots of the pool and never the whole of it.
    endpoint_concurrency: int = Field(default=4, ge=1, le=64)
    failing_endpoint_concurrency: int = Field(default=1, ge=1, le=64)
    # An attempt still unanswered after this long leaves the pool above for a budget of its own
    # (waiting costs a socket, not CPU), so that many endpoints hanging at once — more than the
    # pool divided by ENDPOINT_CONCURRENCY — cannot fill the pool until their time-outs. When
    # that budget is full too, a slow attempt keeps its place in the pool.
    slow_attempt_s: float = Field(default=0.5, gt=0)
    slow_attempt_slots: int = Field(default=256, ge=0, le=8192)
    # A claimed message is due again this long after its attempt's time-out if no outcome was
    # recorded (the worker died mid-delivery): at-least-once.
    lease_margin_s: float = Field(default=30.0, gt=0)
    # How often the worker looks for due messages when nothing woke it.
    poll_interval_s: float = Field(default=0.5, gt=0)
    # Resolved endpoint addresses are reused this long (DNS can change: vetted again after).
    dns_cache_s: float = Field(default=30.0, ge=0)
    # Run the delivery loop in the worker process (benchmarks/tests may run it alone).
    deliver: bool = True
