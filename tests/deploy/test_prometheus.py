"""deploy/prometheus: every API and worker is scraped (compose names and `make run`'s ports), and
every alert parses as PromQL, names only metrics the services register and has its runbook.

Prometheus (promtool) is not installed here: the expressions are parsed with a PromQL parser,
and what they select is held to the registry, so a renamed metric fails here, not in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.deploy.deploy_model import REPO, nginx_match, parse_locations, role_of, settings_class, worker_services
from tests.support.metric_names import PROMETHEUS_SERIES, heading_anchors, registered_series, selected_metrics

PROMETHEUS = REPO / "deploy" / "prometheus"
OPERATIONS = REPO / "docs" / "operations.md"
# The alerts #14 asks for, by what they watch.
REQUIRED_ALERTS = {
    "TrickleOutboxStuck",  # the outbox's oldest row older than 60 s
    "TrickleDeadLetter",  # any dead letter
    "TrickleTrialBalanceNotZero",
    "TrickleCloseStalled",  # a close that stopped moving
    "TrickleWebhookEndpointAboutToBeDisabled",
}


@pytest.fixture(autouse=True)
def no_trickle_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings defaults, whatever the environment of the test run sets."""
    import os

    for name in list(os.environ):
        if name.upper().startswith("TRICKLE_"):
            monkeypatch.delenv(name)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((PROMETHEUS / name).read_text())
    return data


def targets(config: dict[str, Any]) -> dict[tuple[str, str], str]:
    """``{(service label, process label): target}`` of a scrape configuration (one target each)."""
    found: dict[tuple[str, str], str] = {}
    for job in config["scrape_configs"]:
        assert job["job_name"].startswith("trickle-"), job["job_name"]  # TrickleTargetDown watches these
        for static in job["static_configs"]:
            labels = static["labels"]
            key = (labels["service"], labels["process"])
            assert key not in found, f"{key} is scraped twice"
            [found[key]] = static["targets"]
    return found


def rules() -> Iterator[dict[str, Any]]:
    for group in load("alerts.yml")["groups"]:
        yield from group["rules"]


def label(svc: str) -> str:
    return svc.replace("_", "-")


@pytest.mark.parametrize("name", ["prometheus.yml", "prometheus.local.yml"])
def test_the_configuration_loads_the_alert_rules(name: str) -> None:
    config = load(name)
    assert config["rule_files"] == ["alerts.yml"]
    assert (PROMETHEUS / "alerts.yml").is_file()


def test_compose_every_api_on_its_port_and_every_worker_on_its_metrics_port() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    expected: dict[tuple[str, str], str] = {}
    for name, spec in compose["services"].items():
        role = role_of(spec.get("command"))
        if role is None:
            continue
        process, svc = role
        if process == "api":
            command = spec["command"]
            expected[(label(svc), "api")] = f"{name}:{command[command.index('--port') + 1]}"
        else:
            env = spec.get("environment") or {}
            port = env.get("TRICKLE_METRICS_PORT") or env.get(f"TRICKLE_{svc.upper()}_METRICS_PORT")
            assert port, f"{name} serves no /metrics (TRICKLE_METRICS_PORT)"
            assert str(env.get("TRICKLE_METRICS_HOST")) == "0.0.0.0", f"{name}: the port must be reachable"
            expected[(label(svc), "worker")] = f"{name}:{port}"
    assert {p for _, p in expected} == {"api", "worker"}
    assert targets(load("prometheus.yml")) == expected


def test_make_run_every_api_on_its_port_and_every_worker_on_its_metrics_port() -> None:
    makefile = (REPO / "Makefile").read_text()
    expected: dict[tuple[str, str], str] = {}
    for svc, cls in ((svc, settings_class(svc)) for svc in ("wallet", "click_ledger", "settlement", "webhook", "web")):
        port = cls().port  # type: ignore[attr-defined]
        expected[(label(svc), "api")] = f"127.0.0.1:{port}"
    for svc in worker_services():
        m = re.search(rf"^TRICKLE_{svc.upper()}_METRICS_PORT \?= (\d+)$", makefile, re.MULTILINE)
        assert m, f"`make run` gives the {svc} worker no metrics port"
        assert f"TRICKLE_{svc.upper()}_METRICS_PORT=$(TRICKLE_{svc.upper()}_METRICS_PORT)" in makefile
        expected[(label(svc), "worker")] = f"127.0.0.1:{m.group(1)}"
    assert targets(load("prometheus.local.yml")) == expected


def test_every_alert_parses_and_selects_only_metrics_the_services_register() -> None:
    known = registered_series() | PROMETHEUS_SERIES
    seen = set()
    for rule in rules():
        selected = selected_metrics(rule["expr"])
        assert selected, f"{rule['alert']} selects no metric"
        assert selected <= known, f"{rule['alert']} names unknown metrics: {sorted(selected - known)}"
        seen.add(rule["alert"])
    assert seen >= REQUIRED_ALERTS


def test_every_alert_has_a_summary_a_severity_and_a_runbook_in_operations_md() -> None:
    anchors = heading_anchors(OPERATIONS)
    for rule in rules():
        assert rule["labels"]["severity"] in ("page", "ticket"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        runbook = rule["annotations"]["runbook"]
        assert runbook == f"docs/operations.md#runbook-{rule['alert'].lower()}", runbook
        assert runbook.split("#")[1] in anchors, f"docs/operations.md has no section for {rule['alert']}"


def test_the_gateway_never_passes_metrics_on() -> None:
    """Every process answers /metrics on its own port; the gateway (whose `/` goes to the web
    front end) answers it with its own 404 for every service's path of it."""
    locations = parse_locations((REPO / "deploy" / "gateway" / "routes.conf").read_text())
    for path in ("/metrics", "/v1/metrics"):
        location = nginx_match(locations, path)
        assert location is not None and location.upstream is None, (path, location)
