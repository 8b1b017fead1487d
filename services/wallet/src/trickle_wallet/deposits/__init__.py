"""Deposits: funding a wallet through a payment provider."""
