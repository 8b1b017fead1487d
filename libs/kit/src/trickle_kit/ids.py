"""Opaque, prefixed, time-ordered identifiers (``acct_…``, ``clk_…``)."""

from __future__ import annotations

import uuid_utils

PREFIXES = frozenset(
    {"acct", "thing", "clk", "dep", "tr", "po", "sub", "ep", "msg", "evt", "je", "key", "clm", "att", "req"}
    | {"app", "grt"}  # OAuth client apps and grants (wallet oauth/)
    | {"ref"}  # refunds of a wallet balance (wallet refunds/)
)


def new_id(prefix: str) -> str:
    """Return ``<prefix>_<uuid7 hex>``; uuid7 keeps ids sortable by creation time."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}")
    return f"{prefix}_{uuid_utils.uuid7().hex}"


def has_prefix(value: str, prefix: str) -> bool:
    """True when ``value`` looks like an id of the given type."""
    head, sep, tail = value.partition("_")
    return head == prefix and sep == "_" and len(tail) == 32 and all(c in "0123456789abcdef" for c in tail)
