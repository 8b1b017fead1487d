"""The operator's pages: periods and their close, outboxes and dead letters, accounts."""
