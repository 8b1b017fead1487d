"""Escrow of unclaimed things: what patrons paid in, released to a claimant or refunded."""
