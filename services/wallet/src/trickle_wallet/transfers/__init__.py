"""Transfers (tips): one-off amounts from one account to another, posted by the ledger."""
