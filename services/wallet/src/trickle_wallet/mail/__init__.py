"""Outgoing mail: rows queued in the transaction that decided to send them, sent by the worker over SMTP."""
