"""One module per command group: period, dlq, outbox, ledger, accounts, payouts, webhooks."""
