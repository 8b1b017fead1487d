"""deploy/grafana/trickle.json: a valid dashboard whose every panel queries PromQL that parses and
names only metrics the services register, and that shows every figure #14 asks for."""

from __future__ import annotations

import json
from typing import Any

from tests.deploy.deploy_model import REPO
from tests.support.metric_names import PROMETHEUS_SERIES, registered_series, selected_metrics

DASHBOARD = REPO / "deploy" / "grafana" / "trickle.json"
# What an operator must find on the dashboard (#14 part 1), by the series that carries it.
REQUIRED = {
    "trickle_http_requests_total",  # requests by route template, status
    "trickle_http_request_duration_seconds_bucket",  # latency
    "trickle_outbox_backlog",
    "trickle_outbox_oldest_age_seconds",
    "trickle_outbox_published_total",  # relay publish rate
    "trickle_consumer_lag",
    "trickle_inbox_dead_letters_total",
    "trickle_close_patrons_done",
    "trickle_close_patrons_total",
    "trickle_close_duration_seconds",
    "trickle_webhook_deliveries_total",
    "trickle_ledger_trial_balance_difference",
}


def panels() -> list[dict[str, Any]]:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["title"] and dashboard["uid"]
    found: list[dict[str, Any]] = dashboard["panels"]
    return found


def test_every_panel_queries_only_metrics_the_services_register() -> None:
    known = registered_series() | PROMETHEUS_SERIES
    ids = set()
    for panel in panels():
        assert panel["targets"], f"panel {panel['title']!r} has no query"
        assert panel["datasource"]["type"] == "prometheus"
        for target in panel["targets"]:
            selected = selected_metrics(target["expr"])
            assert selected <= known, f"{panel['title']!r} names unknown metrics: {sorted(selected - known)}"
        assert panel["id"] not in ids
        ids.add(panel["id"])


def test_the_dashboard_shows_every_figure_asked_for() -> None:
    shown = {m for panel in panels() for target in panel["targets"] for m in selected_metrics(target["expr"])}
    assert REQUIRED - shown == set()
