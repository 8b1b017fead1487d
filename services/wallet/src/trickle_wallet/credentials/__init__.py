"""Credentials of the wallet service."""
