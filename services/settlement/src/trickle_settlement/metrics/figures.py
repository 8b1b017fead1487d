"""The settlement's gauges (names are part of deploy/prometheus/alerts.yml and the dashboard)."""

from __future__ import annotations

from prometheus_client import Gauge

CLOSE_IN_PROGRESS = Gauge(
    "trickle_close_in_progress", "1 while the period's close runs (status closing), 0 once closed", ["period"]
)
CLOSE_PATRONS_TOTAL = Gauge(
    "trickle_close_patrons_total", "Patrons with clicks in the period: what its close walks", ["period"]
)
CLOSE_PATRONS_DONE = Gauge(
    "trickle_close_patrons_done",
    "Patrons the period's close has walked so far (settled or nothing to settle)",
    ["period"],
)
CLOSE_DURATION = Gauge(
    "trickle_close_duration_seconds", "Time since the close started (until it closed, once closed)", ["period"]
)
CLOSE_LAST_PROGRESS = Gauge(
    "trickle_close_last_progress_timestamp_seconds",
    "When the close last moved (a batch committed, a shard done; its start before that), Unix time",
    ["period"],
)
TRIAL_BALANCE_DIFFERENCE = Gauge(
    "trickle_ledger_trial_balance_difference",
    "Debits minus credits over every ledger balance, per currency: 0 in a sound ledger",
    ["currency"],
)

CLOSE_GAUGES = (CLOSE_IN_PROGRESS, CLOSE_PATRONS_TOTAL, CLOSE_PATRONS_DONE, CLOSE_DURATION, CLOSE_LAST_PROGRESS)
