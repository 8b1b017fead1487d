"""Reconciliation with the payment provider: in-flight deposits and payouts finished from its answer; its fees."""
