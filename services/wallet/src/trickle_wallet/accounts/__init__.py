"""Accounts of the wallet service."""
