"""Shared plumbing for Trickle services."""
