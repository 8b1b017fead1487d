"""What the monitoring files (deploy/prometheus, deploy/grafana) are checked against: the metric
names the services register, and the metric names a PromQL expression selects."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import promql_parser
from prometheus_client import REGISTRY

# Every module that defines Trickle's metrics (importing registers them in the default registry).
METRIC_MODULES = ("trickle_kit.metrics", "trickle_settlement.metrics.figures", "trickle_webhook.metrics.figures")
# Series Prometheus makes itself for every target.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("_count", "_sum", "_created", ""),
}


def registered_series() -> set[str]:
    """The names of every series Trickle's metrics expose (a counter ``x`` as ``x_total``…)."""
    for module in METRIC_MODULES:
        importlib.import_module(module)
    names = set()
    for family in REGISTRY.collect():
        if family.name.startswith("trickle_"):
            names |= {family.name + suffix for suffix in _SUFFIXES.get(family.type, ("",))}
    return names


def selected_metrics(expr: str) -> set[str]:
    """The metric names ``expr`` selects (raises on PromQL that does not parse)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if type(node).__name__ == "VectorSelector":
            found.add(node.name)
            return
        for attr in ("lhs", "rhs", "expr", "args", "vector_selector", "param"):
            child = getattr(node, attr, None)
            for item in child if isinstance(child, list | tuple) else [child]:
                if item is not None:
                    walk(item)

    walk(promql_parser.parse(expr))
    return found


def heading_anchors(markdown: Path) -> set[str]:
    """The anchors of a Markdown file's headings, as GitHub makes them (``## Runbook: X`` → ``runbook-x``)."""
    anchors = set()
    for line in markdown.read_text().splitlines():
        m = re.match(r"#{1,6} +(.*)", line)
        if m:
            text = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower())
            anchors.add(text.replace(" ", "-"))
    return anchors
