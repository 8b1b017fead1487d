"""``post_entry`` / ``post_entries``: the only writers of the ledger.

What it does, in one transaction (the caller's):

1. an entry whose idempotency key is already posted is returned as it is (no second effect);
2. the ledger accounts named are created on first use;
3. their balance rows are locked in sorted account order (so two posters never deadlock),
   and a user liability that would go below zero raises ``InsufficientFunds`` before
   anything is written — the caller can still publish a rejection in the same transaction;
4. the entry and its postings are inserted (one statement for the postings: the database
   trigger moves the balances and checks each ``balance_after``; the entry must balance
   when the transaction commits);
5. ``ledger.entry.posted`` is staged in the outbox.

The database enforces the same invariants on its own (migration 0002); the checks here
only turn them into domain errors instead of failed transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger import EntryPosted, PostingLine
from trickle_kit.ids import new_id
from trickle_settlement.ledger.chart import AccountRef
from trickle_settlement.ledger.errors import AccountMismatch, InsufficientFunds, InvalidEntry
from trickle_settlement.ledger.models import JournalEntry, LedgerAccount, LedgerBalance, Posting
from trickle_settlement.outbox import OUTBOX


@dataclass(frozen=True)
class Leg:
    """One side of a new entry: ``amount`` > 0 debits ``account``, < 0 credits it."""

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


@dataclass(frozen=True)
class PostedLine:
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


def _merged_legs(entry: NewEntry) -> list[Leg]:
    """Legs per account (summed, zeros dropped), in first-mention order; validated."""
    if not entry.idempotency_key or len(entry.idempotency_key) > 255:
        raise InvalidEntry("an entry needs an idempotency key of 1..255 characters")
    totals: dict[str, int] = {}
    refs: dict[str, AccountRef] = {}
    for leg in entry.legs:
        if type(leg.amount) is not int:
            raise InvalidEntry(f"amount on {leg.account.id} must be an int of minor units")
        if leg.account.currency != entry.currency:
            raise InvalidEntry(f"{leg.account.id} is in {leg.account.currency}, the entry in {entry.currency}")
        known = refs.setdefault(leg.account.id, leg.account)
        if known != leg.account:
            raise InvalidEntry(f"{leg.account.id} is named with two different kinds or owners")
        totals[leg.account.id] = totals.get(leg.account.id, 0) + leg.amount
    legs = [Leg(refs[a], amount) for a, amount in totals.items() if amount != 0]
    if len(legs) < 2:
        raise InvalidEntry(f"entry {entry.idempotency_key} needs at least two non-zero postings")
    if sum(leg.amount for leg in legs) != 0:
        raise InvalidEntry(f"entry {entry.idempotency_key} does not balance")
    return legs


async def find_entry(session: AsyncSession, idempotency_key: str) -> PostedEntry | None:
    """The entry posted under ``idempotency_key``, with its lines, or None."""
    return (await find_entries(session, [idempotency_key])).get(idempotency_key)


async def find_entries(session: AsyncSession, keys: Sequence[str]) -> dict[str, PostedEntry]:
    """The entries posted under ``keys`` (those that exist), with their lines, by key."""
    wanted = list(dict.fromkeys(keys))
    rows: list[JournalEntry] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows += (await session.execute(select(JournalEntry).where(JournalEntry.idempotency_key.in_(chunk)))).scalars()
    if not rows:
        return {}
    lines: dict[str, list[PostedLine]] = {row.id: [] for row in rows}
    entry_ids = list(lines)
    for start in range(0, len(entry_ids), _CHUNK):
        postings = await session.execute(
            select(Posting, LedgerAccount.kind, LedgerAccount.owner_id)
            .join(LedgerAccount, LedgerAccount.id == Posting.account_id)
            .where(Posting.entry_id.in_(entry_ids[start : start + _CHUNK]))
            .order_by(Posting.id)
        )
        for p, kind, owner in postings.tuples():
            lines[p.entry_id].append(PostedLine(p.account_id, kind, owner, p.amount, p.currency, p.balance_after))
    return {
        row.idempotency_key: PostedEntry(
            id=row.id,
            seq=row.seq,
            idempotency_key=row.idempotency_key,
            kind=row.kind,
            currency=row.currency,
            reference=row.reference,
            period=row.period,
            posted_at=row.posted_at,
            lines=lines[row.id],
            created=False,
        )
        for row in rows
    }


async def _open_accounts(session: AsyncSession, refs: Sequence[AccountRef]) -> None:
    """Create missing accounts (sorted), and refuse a name reused with another kind or currency."""
    ids = sorted({r.id for r in refs})
    existing: dict[str, LedgerAccount] = {}
    for start in range(0, len(ids), _CHUNK):
        found = await session.execute(select(LedgerAccount).where(LedgerAccount.id.in_(ids[start : start + _CHUNK])))
        existing.update((a.id, a) for a in found.scalars())
    missing = sorted({r.id: r for r in refs if r.id not in existing}.values(), key=lambda r: r.id)
    if missing:
        await session.execute(
            insert(LedgerAccount).on_conflict_do_nothing(index_elements=["id"]),
            [
                {"id": r.id, "kind": r.kind, "type": r.type, "owner_id": r.owner_id, "currency": r.currency}
                for r in missing
            ],
        )
    for ref in refs:
        have = existing.get(ref.id)
        if have is not None and (have.kind, have.currency, have.owner_id) != (ref.kind, ref.currency, ref.owner_id):
            raise AccountMismatch(f"{ref.id} is a {have.kind} account in {have.currency}")


async def lock_balances(session: AsyncSession, account_ids: Sequence[str]) -> dict[str, LedgerBalance]:
    """Lock the balance rows of ``account_ids`` in sorted order (the one lock order of the ledger)."""
    ids = sorted(set(account_ids))
    locked: dict[str, LedgerBalance] = {}
    # Chunks are taken in ascending order too, so the whole lock order stays sorted.
    for start in range(0, len(ids), _CHUNK):
        rows = await session.execute(
            select(LedgerBalance)
            .where(LedgerBalance.account_id.in_(ids[start : start + _CHUNK]))
            .order_by(LedgerBalance.account_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        locked.update((b.account_id, b) for b in rows.scalars())
    return locked


async def available(session: AsyncSession, account: AccountRef) -> int:
    """The account's current balance (0 when it was never used); no lock."""
    balance = (
        await session.execute(select(LedgerBalance.balance).where(LedgerBalance.account_id == account.id))
    ).scalar_one_or_none()
    return balance or 0


# Rows per multi-row statement: well under PostgreSQL's 32767 bind parameters.
_CHUNK = 3000

_INSERT_ENTRIES = text(
    "INSERT INTO journal_entries (id, idempotency_key, kind, currency, reference, period) "
    "SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:keys AS text[]), CAST(:kinds AS text[]), "
    "CAST(:currencies AS text[]), CAST(:references AS text[]), CAST(:periods AS text[])) "
    "RETURNING id, seq, posted_at"
)
_INSERT_POSTINGS = text(
    "INSERT INTO postings (entry_id, account_id, currency, amount, balance_after) "
    "SELECT * FROM unnest(CAST(:entry_ids AS text[]), CAST(:account_ids AS text[]), CAST(:currencies AS text[]), "
    "CAST(:amounts AS bigint[]), CAST(:balances AS bigint[]))"
)


async def post_entry(session: AsyncSession, entry: NewEntry) -> PostedEntry:
    """Post ``entry`` in the session's transaction (see the module docstring); the ledger's only writer.

    Raises ``InsufficientFunds`` (nothing written) when a user liability would go negative,
    ``InvalidEntry`` / ``AccountMismatch`` for malformed entries.
    """
    return (await post_entries(session, [entry]))[0]


async def post_entries(session: AsyncSession, entries: Sequence[NewEntry]) -> list[PostedEntry]:
    """Post many entries at once, in order, with a handful of statements (bulk writers: the period close).

    The same rules as ``post_entry`` for each entry; all or nothing: if any entry would
    overdraw an account (taking the entries before it into account), ``InsufficientFunds``
    names it (``entry_key``) and nothing is written. Returns one ``PostedEntry`` per entry,
    ``created`` False for keys posted before (or repeated within the batch).
    """
    merged = [(entry, _merged_legs(entry)) for entry in entries]
    keys = [entry.idempotency_key for entry in entries]
    known = await find_entries(session, keys)
    fresh: dict[str, tuple[NewEntry, list[Leg]]] = {}
    for entry, legs in merged:
        if entry.idempotency_key not in known:
            fresh.setdefault(entry.idempotency_key, (entry, legs))
    if fresh:
        await _open_accounts(session, [leg.account for _, legs in fresh.values() for leg in legs])
        balances = await lock_balances(session, [leg.account.id for _, legs in fresh.values() for leg in legs])
        # Posted by a transaction that committed while we waited for the locks: not ours to post again.
        for key, posted in (await find_entries(session, list(fresh))).items():
            known[key] = posted
            del fresh[key]
        created = await _write(session, list(fresh.values()), balances)
        known.update(created)
        await OUTBOX.add_many(session, [entry_posted_event(p) for p in created.values()])
    answers = []
    seen: set[str] = set()
    for key in keys:
        posted = known[key]
        answers.append(posted if key not in seen else replace(posted, created=False))
        seen.add(key)
    return answers


async def _write(
    session: AsyncSession, batch: list[tuple[NewEntry, list[Leg]]], balances: dict[str, LedgerBalance]
) -> dict[str, PostedEntry]:
    running = {account_id: b.balance for account_id, b in balances.items()}
    planned: list[tuple[NewEntry, str, list[tuple[Leg, int]]]] = []
    for entry, legs in batch:
        lines = []
        for leg in legs:
            current = balances[leg.account.id]
            after = running[leg.account.id] + current.normal_sign * leg.amount
            if current.non_negative and after < 0:
                raise InsufficientFunds(
                    leg.account.id,
                    running[leg.account.id],
                    -current.normal_sign * leg.amount,
                    entry_key=entry.idempotency_key,
                )
            running[leg.account.id] = after
            lines.append((leg, after))
        planned.append((entry, new_id("je"), lines))
    if not planned:
        return {}

    # Entry numbers are drawn only now, under the balance locks: of two entries touching one
    # account, the one applied later has the higher ``seq`` (read models order by it).
    # One statement each for entries and postings, whatever the batch size: arrays unnested
    # in order (row order = id order, which the balance_after check relies on).
    rows = await session.execute(
        _INSERT_ENTRIES,
        {
            "ids": [entry_id for _, entry_id, _ in planned],
            "keys": [entry.idempotency_key for entry, _, _ in planned],
            "kinds": [entry.kind for entry, _, _ in planned],
            "currencies": [entry.currency for entry, _, _ in planned],
            "references": [entry.reference for entry, _, _ in planned],
            "periods": [entry.period for entry, _, _ in planned],
        },
    )
    numbered: dict[str, tuple[int, datetime]] = {entry_id: (seq, at) for entry_id, seq, at in rows.tuples()}
    lines_in_order = [(entry, entry_id, leg, after) for entry, entry_id, lines in planned for leg, after in lines]
    await session.execute(
        _INSERT_POSTINGS,
        {
            "entry_ids": [entry_id for _, entry_id, _, _ in lines_in_order],
            "account_ids": [leg.account.id for _, _, leg, _ in lines_in_order],
            "currencies": [entry.currency for entry, _, _, _ in lines_in_order],
            "amounts": [leg.amount for _, _, leg, _ in lines_in_order],
            "balances": [after for _, _, _, after in lines_in_order],
        },
    )
    return {
        entry.idempotency_key: PostedEntry(
            id=entry_id,
            seq=numbered[entry_id][0],
            idempotency_key=entry.idempotency_key,
            kind=entry.kind,
            currency=entry.currency,
            reference=entry.reference,
            period=entry.period,
            posted_at=numbered[entry_id][1],
            lines=[
                PostedLine(leg.account.id, leg.account.kind, leg.account.owner_id, leg.amount, entry.currency, after)
                for leg, after in lines
            ],
        )
        for entry, entry_id, lines in planned
    }


def entry_posted_event(posted: PostedEntry) -> EntryPosted:
    """The ``ledger.entry.posted`` event of an entry (account holders concerned, balances after)."""
    holders = sorted(
        {
            line.owner_id
            for line in posted.lines
            if line.owner_id is not None and line.kind not in ("escrow", "provider_clearing", "provider_fees")
        }
    )
    return EntryPosted(
        entry_id=posted.id,
        idempotency_key=posted.idempotency_key,
        kind=posted.kind,
        currency=posted.currency,
        reference=posted.reference,
        posted_at=posted.posted_at,
        postings=[
            PostingLine(
                ledger_account=line.account_id,
                kind=line.kind,
                owner_id=line.owner_id,
                amount=line.amount,
                currency=line.currency,
                balance_after=line.balance_after,
            )
            for line in posted.lines
        ],
        account_ids_concerned=holders,
        sequence=posted.seq,
    )
