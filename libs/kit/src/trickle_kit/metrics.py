"""Prometheus metrics every process has: HTTP, outbox, relay, inbox; how a process exposes them.

APIs serve ``GET /metrics`` on their own port (``trickle_kit.metrics_http``, installed by
``create_app``); workers have no HTTP port, so ``run_worker`` starts a small one when the
service's ``metrics_port`` setting (``TRICKLE_<SVC>_METRICS_PORT``) is not 0 (``MetricsServer``).

Several API processes behind one port (``python -m trickle_kit.serve --workers N``) would each
answer a scrape with only their own counters; ``serve`` therefore turns on prometheus-client's
multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, a fresh directory per run) and ``/metrics``
sums every process's files (``registry_for_scrape``). One process per container needs nothing.

Metric names are part of the operators' contract: ``deploy/prometheus/alerts.yml`` and
``deploy/grafana/trickle.json`` name them, and their tests check each name is registered here or
in a service's own metrics module (``trickle_settlement.metrics``, ``trickle_webhook.metrics``).
Process-level figures carry no ``service`` label: the scrape configuration gives each target its
``service`` and ``process`` (api, worker) labels.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import generate_latest as _generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from trickle_kit.operations.queries import outbox_status

log = structlog.get_logger("trickle.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# ---- HTTP (APIs): by route template, never the raw path (ids would make a series per request)

HTTP_REQUESTS = Counter(
    "trickle_http_requests",
    "HTTP requests answered, by route template, method and status",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "trickle_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response has been sent), by route template and method",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
UNMATCHED_ROUTE = "<unmatched>"

# ---- outbox and relay (workers)

OUTBOX_PUBLISHED = Counter("trickle_outbox_published", "Outbox rows the relay published to Kafka")
OUTBOX_BACKLOG = Gauge("trickle_outbox_backlog", "Outbox rows not yet published (sampled)", multiprocess_mode="livemax")
OUTBOX_OLDEST_AGE = Gauge(
    "trickle_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row, 0 when none (sampled)",
    multiprocess_mode="livemax",
)

# ---- inbox consumers (workers)

INBOX_APPLIED = Counter("trickle_inbox_applied", "Events an inbox consumer applied", ["consumer"])
INBOX_DEAD_LETTERS = Counter(
    "trickle_inbox_dead_letters", "Records an inbox consumer sent to <topic>.dlq", ["consumer", "topic"]
)
CONSUMER_LAG = Gauge(
    "trickle_consumer_lag",
    "Records of a topic partition not yet applied and committed: highwater - position (after each poll)",
    ["consumer", "topic", "partition"],
    multiprocess_mode="livemax",
)


class _SizedFilesCollector(MultiProcessCollector):
    """prometheus-client's multiprocess collector, leaving out the files still at 0 bytes.

    A process creates its file for a metric type and only then sizes it, so a scrape at that
    moment read an empty file, and prometheus-client's reader failed the whole scrape with a
    ``struct.error`` (prometheus/client_python#1199, open in 0.26.0). An empty file holds no
    value yet; once sized, a file never shrinks back."""

    def collect(self) -> Any:
        files = []
        for name in glob.glob(os.path.join(self._path, "*.db")):
            with contextlib.suppress(FileNotFoundError):  # a dead process's files may be removed
                if os.path.getsize(name) > 0:
                    files.append(name)
        return self.merge(files, accumulate=True)  # type: ignore[no-untyped-call]


def registry_for_scrape() -> CollectorRegistry:
    """The registry a scrape reads: this process's, or every process's files in multiprocess mode."""
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        return REGISTRY
    registry = CollectorRegistry()
    _SizedFilesCollector(registry, path=path)  # type: ignore[no-untyped-call]
    return registry


def exposition() -> tuple[bytes, str]:
    """(body, content type) of a scrape: the text format every Prometheus reads."""
    return _generate_latest(registry_for_scrape()), CONTENT_TYPE_LATEST


async def record_consumer_lag(name: str, consumer: Any) -> None:
    """Set ``trickle_consumer_lag`` for every partition ``consumer`` (an AIOKafkaConsumer) holds.

    Called after each poll (and its offset commit): the position is then the committed offset,
    and the highwater the broker's answer to the last fetch. A partition not fetched yet is
    skipped. A figure must never stop the consumer: a partition taken away by a rebalance
    between two calls, or anything else that fails here, only skips this sample.
    """
    try:
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            position = await consumer.position(tp)
            CONSUMER_LAG.labels(name, tp.topic, str(tp.partition)).set(max(0, highwater - position))
    except Exception as exc:
        log.debug("consumer_lag_not_sampled", consumer=name, error=repr(exc))


class OutboxGauges:
    """A worker task: samples the outbox's backlog and the age of its oldest unpublished row.

    Apart from the relay on purpose: a relay that hangs (or never leads) stops sampling too, and
    the backlog it leaves behind is exactly what the alert must see. Every worker of a service
    samples the same table; alerts take the ``max``.
    """

    def __init__(self, engine: AsyncEngine, *, interval_s: float) -> None:
        self.engine = engine
        self.interval_s = interval_s

    async def sample(self) -> None:
        async with AsyncSession(self.engine) as session:
            status = await outbox_status(session)  # the operators' read (GET /v1/operations/<service>/outbox)
        OUTBOX_BACKLOG.set(status.pending)
        OUTBOX_OLDEST_AGE.set(status.oldest_age_s or 0.0)

    async def run(self, stop: asyncio.Event) -> None:
        await periodically(stop, self.interval_s, self.sample, "outbox")


async def periodically(
    stop: asyncio.Event, interval_s: float, sample: Callable[[], Awaitable[None]], what: str
) -> None:
    """Run ``sample()`` every ``interval_s`` until ``stop``; a failed sample is logged, the next one tried."""
    while not stop.is_set():
        try:
            await sample()
        except Exception as exc:  # the database away: the gauges keep their last value; `up` stays 1
            log.warning("metrics_sample_failed", what=what, error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)


class MetricsServer:
    """A worker task: serves ``/metrics`` on ``host:port`` (prometheus-client's own HTTP server thread)."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.port = port
        self.host = host

    async def run(self, stop: asyncio.Event) -> None:
        from prometheus_client import start_http_server

        server, thread = start_http_server(self.port, addr=self.host, registry=registry_for_scrape())
        log.info("metrics_serving", host=self.host, port=self.port)
        try:
            await stop.wait()
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
