"""Money paid out to an account holder through a provider, reserved first by the ledger: payouts and refunds."""
