"""Trickle settlement service."""
