"""Click-ledger settings: environment variables prefixed TRICKLE_CLICK_LEDGER_ (shared ones also TRICKLE_)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from trickle_kit.settings import DEFAULT_PG, KitSettings


class Settings(KitSettings):
    model_config = SettingsConfigDict(env_prefix="TRICKLE_CLICK_LEDGER_", extra="ignore")

    service_name: str = "click-ledger"
    database_url: str = f"{DEFAULT_PG}/trickle_click_ledger"
    port: int = 8102
    # Partitions of the click topic: click events are pinned to murmur2(patron) % this, and
    # a seal marker goes to each of them. Must equal the topic's real partition count.
    click_partitions: int = Field(default=6, ge=1, le=1000)
    # Group commit of POST /v1/clicks (clicks/batcher.py): at most this many clicks per
    # transaction, this many transactions in flight per API process. One: the clicks that
    # arrive while a batch is written all go in the next, ~15 a transaction under
    # `make bench-clicks` against ~9 with four writers, so fewer round trips and commits per
    # click (PostgreSQL's and the API's CPU per click lower, throughput and p99 better in
    # each of four alternated pairs).
    click_batch_max: int = Field(default=200, ge=1, le=5000)
    # A writer starts a batch at most this often (clicks/batcher.py): under load the clicks of the
    # interval share one statement, commit and WAL flush; a click after a quiet spell goes at once.
    # At 3,000/s offered, in alternated 20 s pairs: 3 ms against none lowered the CPU per click of
    # all parts in each of five (PostgreSQL's share most); 6 ms against 3 ms lowered it or tied in
    # each of eight and had the lower p99 in seven; 10 ms saves a little more CPU but adds its wait
    # to more clicks (docs/benchmarks.md, "clicks, ninth session").
    click_batch_interval_s: float = Field(default=0.006, ge=0, le=0.1)
    # Each writer keeps one of the pool's connections (db_pool_size): fewer writers than that.
    click_batch_writers: int = Field(default=1, ge=1, le=32)
    # Claim verification: where the proof is fetched (tests point it at a local http server).
    claim_scheme: Literal["https", "http"] = "https"
    claim_port: int | None = Field(default=None, ge=1, le=65535)
    claim_timeout_s: float = Field(default=10.0, gt=0, le=60)
    claim_max_bytes: int = Field(default=512 * 1024, ge=1024)
    # Hosts many creators share: nobody claims the whole host, each claims a path prefix on it
    # (github.com/alice), proved by a meta tag or rel="me" link on the page at that prefix.
    shared_hosts: list[str] = [
        "github.com",
        "gitlab.com",
        "codeberg.org",
        "bitbucket.org",
        "youtube.com",
        "www.youtube.com",
        "medium.com",
        "vimeo.com",
        "soundcloud.com",
        "twitch.tv",
        "www.twitch.tv",
        "mastodon.social",
    ]
    # Demos and tests only: lets an operator seal the open period before its month has ended
    # (POST /v1/periods/current/seal), which moves the calendar ahead of the clock for good.
    # Off, an early seal is refused (409 period_not_ended); `make run` turns it on.
    # Also read as TRICKLE_DEMO_CALENDAR.
    demo_calendar: bool = False
    # Scheduler: how often the worker checks the calendar and the subscriptions job.
    scheduler_interval_s: float = Field(default=5.0, gt=0)
    subscription_batch_size: int = Field(default=500, ge=1, le=10_000)
    # Widgets: public base URL of the API (embed script), and button cache lifetime.
    public_base_url: str = "http://127.0.0.1:8102"
    widget_max_age_s: int = Field(default=60, ge=0)
    cors_origins: list[str] = ["*"]

    @model_validator(mode="after")
    def _writers_leave_connections(self) -> Settings:
        if self.click_batch_writers >= self.db_pool_size:
            raise ValueError(
                f"click_batch_writers ({self.click_batch_writers}) must be below db_pool_size ({self.db_pool_size}):"
                " each click writer keeps one of the pool's connections, and requests need the others"
            )
        return self
