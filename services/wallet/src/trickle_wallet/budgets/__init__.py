"""Budgets of the wallet service."""
