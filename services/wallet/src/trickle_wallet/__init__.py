"""Trickle wallet service."""
