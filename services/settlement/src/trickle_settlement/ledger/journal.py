"""Journal entries as posters name them (``Leg``, ``NewEntry``) and as the journal holds them
(``PostedEntry``), and finding posted entries by idempotency key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_settlement.ledger.chart import AccountRef


class Leg(NamedTuple):
    """One side of a new entry: ``amount`` > 0 debits ``account``, < 0 credits it (a named tuple: a
    close names a million of them)."""

    account: AccountRef
    amount: int


@dataclass(frozen=True)
class NewEntry:
    """An entry to post. ``idempotency_key`` names its cause, e.g. ``transfer:tr_…``."""

    idempotency_key: str
    kind: str
    currency: str
    legs: Sequence[Leg]
    reference: str | None = None
    period: str | None = None
    # The id to post it under; None: the poster draws one. A bulk writer that stages events naming
    # the entry before posting it assigns it (and checks the entry was created under it).
    entry_id: str | None = None


class PostedLine(NamedTuple):
    """One posting of a posted entry (a named tuple: the close builds a million of them)."""

    account_id: str
    kind: str
    owner_id: str | None
    amount: int
    currency: str
    balance_after: int


@dataclass(frozen=True)
class PostedEntry:
    """A posted entry; ``created`` is False when the key had been posted before."""

    id: str
    seq: int
    idempotency_key: str
    kind: str
    currency: str
    reference: str | None
    period: str | None
    posted_at: datetime
    lines: list[PostedLine] = field(default_factory=list)
    created: bool = True

    def line(self, account_id: str) -> PostedLine:
        return next(line for line in self.lines if line.account_id == account_id)

    def amount_of(self, account_id: str) -> int:
        """The entry's signed amount on ``account_id``: 0 when it has no line there (zero legs are dropped)."""
        return sum(line.amount for line in self.lines if line.account_id == account_id)


async def find_entry(session: AsyncSession, idempotency_key: str) -> PostedEntry | None:
    """The entry posted under ``idempotency_key``, with its lines, or None."""
    return (await find_entries(session, [idempotency_key])).get(idempotency_key)


async def find_entries(session: AsyncSession, keys: Sequence[str]) -> dict[str, PostedEntry]:
    """The entries posted under ``keys`` (those that exist), with their lines, by key."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    # One statement per lookup whatever the number of keys (an array, not an IN list of binds).
    rows = (await session.execute(_FIND_ENTRIES, {"keys": wanted})).tuples().all()
    if not rows:
        return {}
    lines: dict[str, list[PostedLine]] = {row[0]: [] for row in rows}
    postings = await session.execute(_FIND_LINES, {"entry_ids": list(lines)})
    for entry_id, account_id, kind, owner, amount, currency, after in postings.tuples():
        lines[entry_id].append(PostedLine(account_id, kind, owner, amount, currency, after))
    return {
        key: PostedEntry(
            id=entry_id,
            seq=seq,
            idempotency_key=key,
            kind=kind,
            currency=currency,
            reference=reference,
            period=period,
            posted_at=posted_at,
            lines=lines[entry_id],
            created=False,
        )
        for entry_id, seq, key, kind, currency, reference, period, posted_at in rows
    }


_FIND_ENTRIES = text(
    "SELECT id, seq, idempotency_key, kind, currency, reference, period, posted_at FROM journal_entries "
    "WHERE idempotency_key = ANY(CAST(:keys AS text[]))"
)
_FIND_LINES = text(
    "SELECT p.entry_id, p.account_id, a.kind, a.owner_id, p.amount, p.currency, p.balance_after "
    "FROM postings p JOIN ledger_accounts a ON a.id = p.account_id "
    "WHERE p.entry_id = ANY(CAST(:entry_ids AS text[])) ORDER BY p.id"
)
