"""The webhook service's counters and gauges (names are part of deploy/prometheus/alerts.yml and the dashboard)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge

DELIVERIES = Counter(
    "trickle_webhook_deliveries",
    "Delivery attempts recorded, by outcome (succeeded, failed, timeout, connect_error, refused, …)",
    ["outcome"],
)
ENDPOINTS_FAILING = Gauge(
    "trickle_webhook_endpoints_failing", "Enabled endpoints whose last attempts failed (a failing spell is open)"
)
ENDPOINT_LONGEST_FAILING = Gauge(
    "trickle_webhook_endpoint_longest_failing_seconds",
    "How long the enabled endpoint failing for the longest has failed without a success (0: none failing)",
)
ENDPOINT_DISABLE_AFTER = Gauge(
    "trickle_webhook_endpoint_disable_after_seconds",
    "An endpoint failing this long without a success is disabled (the disable_after_failing_s setting)",
)


def count_recorded(outcomes: Iterable[str]) -> None:
    """Count delivery attempts whose outcomes were just recorded."""
    for outcome in outcomes:
        DELIVERIES.labels(outcome).inc()
