"""Trickle's web front end: server-rendered pages over the public APIs (generated client)."""
