"""Refunds: a patron's unspent prepaid wallet balance paid back through the provider, reserved first by the ledger."""
