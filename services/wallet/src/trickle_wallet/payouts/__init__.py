"""Payouts: creators withdrawing earnings through a provider, reserved first by the ledger."""
