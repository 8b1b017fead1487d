"""Trickle webhook service."""
