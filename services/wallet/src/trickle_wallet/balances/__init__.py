"""Balances: a read model of the ledger's balances per account (wallet, earnings, reserved)."""
