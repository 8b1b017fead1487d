"""Trickle click-ledger service."""
