"""How an email address is kept (pure): as typed with its domain lower-cased, and a case-insensitive key."""

from __future__ import annotations

import hashlib


def normalise_email(email: str) -> str:
    """Surrounding blanks dropped and the domain lower-cased; the local part stays as typed."""
    local, at, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if at else email.strip()


def email_key(email: str) -> str:
    """What makes two addresses the same account: the normalised address, lower-cased entirely."""
    return normalise_email(email).lower()


def email_digest(email: str) -> str:
    """A stable pseudonym of an address (sha256 of its key), for counters that need not hold the address."""
    return hashlib.sha256(email_key(email).encode()).hexdigest()
