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

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit import tracing
from trickle_kit.db import DriverStatement
from trickle_kit.ids import new_id
from trickle_settlement.ledger.chart import AccountRef
from trickle_settlement.ledger.entry_events import stage_entry_posted
from trickle_settlement.ledger.errors import AccountMismatch, InsufficientFunds, InvalidEntry
from trickle_settlement.ledger.journal import Leg, NewEntry, PostedEntry, PostedLine, find_entries

# What posters pass and get back (defined with the journal).
__all__ = ["Leg", "NewEntry", "PostedEntry", "copy_postings", "lock_balances", "post_entries", "post_entry"]


def _merged_legs(entry: NewEntry) -> list[Leg]:
    """Legs per account (summed, zeros dropped), in first-mention order; validated."""
    usual = _usual_legs(entry)
    if usual is not None:
        return usual
    if not entry.idempotency_key or len(entry.idempotency_key) > 255:
        raise InvalidEntry("an entry needs an idempotency key of 1..255 characters")
    totals: dict[str, int] = {}
    refs: dict[str, AccountRef] = {}
    distinct = True
    for leg in entry.legs:
        if type(leg.amount) is not int:
            raise InvalidEntry(f"amount on {leg.account.id} must be an int of minor units")
        if leg.account.currency != entry.currency:
            raise InvalidEntry(f"{leg.account.id} is in {leg.account.currency}, the entry in {entry.currency}")
        known = refs.setdefault(leg.account.id, leg.account)
        if known != leg.account:
            raise InvalidEntry(f"{leg.account.id} is named with two different kinds or owners")
        if leg.account.id in totals:
            distinct = False
        totals[leg.account.id] = totals.get(leg.account.id, 0) + leg.amount
    if distinct and all(leg.amount != 0 for leg in entry.legs):
        legs = list(entry.legs)  # already one non-zero leg per account, in first-mention order
    else:
        legs = [Leg(refs[a], amount) for a, amount in totals.items() if amount != 0]
    if len(legs) < 2:
        raise InvalidEntry(f"entry {entry.idempotency_key} needs at least two non-zero postings")
    if sum(leg.amount for leg in legs) != 0:
        raise InvalidEntry(f"entry {entry.idempotency_key} does not balance")
    return legs


def _usual_legs(entry: NewEntry) -> list[Leg] | None:
    """The legs as they are when the entry is the usual one (a valid key, at least two legs, each a
    non-zero int on its own account in the entry's currency, balanced), without the dictionaries
    the general path builds (a close validates ~100,000 entries); None for any other entry."""
    legs = entry.legs
    if not 0 < len(entry.idempotency_key) <= 255 or len(legs) < 2:
        return None
    currency = entry.currency
    ids: set[str] = set()
    total = 0
    for account, amount in legs:
        if type(amount) is not int or not amount or account.currency != currency:
            return None
        ids.add(account.id)
        total += amount
    return list(legs) if not total and len(ids) == len(legs) else None


# Accounts known to exist as named, by id, in one database, as committed transactions left them: an
# account is never changed or removed (migration 0002), so a bulk writer need not look it up again (a
# close names its ~10,000 creators' accounts in every batch; looking them up twice per batch cost it
# ~4 s of Python and ~2 s of PostgreSQL). The writer keeps one for its run and adds what
# ``open_accounts`` returned only once that transaction committed: a rolled-back insert must not count.
KnownAccounts = dict[str, AccountRef]


async def open_accounts(
    session: AsyncSession, refs: Sequence[AccountRef], known: KnownAccounts | None = None
) -> list[AccountRef]:
    """Create missing accounts (sorted), and refuse a name reused with another kind or currency.

    ``post_entries`` does it for its entries; a bulk writer may do it first, in a short transaction
    of its own, so that its batch does not hold new accounts another batch is waiting to create.
    Accounts in ``known`` are not looked up again. Returns the accounts this call found or created as
    named, for the caller to add to its ``known`` once the transaction has committed."""
    wanted: dict[str, AccountRef] = {}
    for ref in refs:
        had = (known.get(ref.id) if known else None) or wanted.get(ref.id)
        if had is None:
            wanted[ref.id] = ref
        elif had != ref:  # named otherwise before: by a committed transaction, or earlier in these refs
            raise AccountMismatch(f"{ref.id} is a {had.kind} account in {had.currency}")
    if not wanted:
        return []
    rows = await session.execute(_FIND_ACCOUNTS, {"ids": list(wanted)})
    existing = {account_id: (kind, currency, owner) for account_id, kind, currency, owner in rows.tuples()}
    for ref in wanted.values():
        have = existing.get(ref.id)
        if have is not None and have != (ref.kind, ref.currency, ref.owner_id):
            raise AccountMismatch(f"{ref.id} is a {have[0]} account in {have[1]}")
    confirmed = [r for r in wanted.values() if r.id in existing]
    missing = sorted((r for r in wanted.values() if r.id not in existing), key=lambda r: r.id)
    if missing:
        created = await session.execute(
            _INSERT_ACCOUNTS,
            {
                "ids": [r.id for r in missing],
                "kinds": [r.kind for r in missing],
                "types": [r.type for r in missing],
                "owners": [r.owner_id for r in missing],
                "currencies": [r.currency for r in missing],
            },
        )
        # Only those this statement inserted: one another transaction created meanwhile is not known as named.
        ours = set(created.scalars())
        confirmed.extend(r for r in missing if r.id in ours)
    return confirmed


class LockedBalance(NamedTuple):
    """A balance row locked by ``lock_balances`` (the values as of the lock): a row of ``_LOCK_BALANCES``,
    made as it is (``tuple.__new__`` checks no length), so its columns are these fields in this order."""

    account_id: str
    balance: int
    normal_sign: int
    non_negative: bool


async def lock_balances(session: AsyncSession, account_ids: Sequence[str]) -> dict[str, LockedBalance]:
    """Lock the balance rows of ``account_ids`` in sorted order (the one lock order of the ledger).

    One statement, locking row by row in the order of the ids as sorted here, so every poster
    takes them in the same order and two posters never deadlock. A bulk poster takes its turn
    (``bulk_posting.post_prepared``) before any balance row: a transaction must not lock balance
    rows and then post in bulk, or it could wait on the turn while its holder waits on its rows.
    """
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    # On the driver's connection, rows made straight into named tuples: a close batch locks ~17,000
    # rows with the bulk turn held, and SQLAlchemy's result rows and a dataclass per row cost ~2 µs a
    # row (~35 ms a batch) of that time.
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    rows: Iterable[Sequence[Any]]
    if raw is not None and raw.is_in_transaction():
        rows = await _LOCK_BALANCES_ON_DRIVER.fetch(raw, {"ids": ids})
    else:
        # SQLAlchemy begins the transaction with its first statement: run on the driver as that first
        # statement, the lock would be taken outside the transaction and let go at once.
        rows = (await session.execute(_LOCK_BALANCES, {"ids": ids})).tuples()
    return {row[0]: _new_tuple(LockedBalance, row) for row in rows}


_FIND_ACCOUNTS = text("SELECT id, kind, currency, owner_id FROM ledger_accounts WHERE id = ANY(CAST(:ids AS text[]))")
# No conflict target: every unique index is an arbiter. With ``ON CONFLICT (id)`` two
# transactions creating the same account at once could meet on uq_ledger_accounts_id_currency
# (not an arbiter) and fail with a unique violation instead of skipping the row.
_INSERT_ACCOUNTS = text(
    "INSERT INTO ledger_accounts (id, kind, type, owner_id, currency) "
    "SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:kinds AS text[]), CAST(:types AS text[]), "
    "CAST(:owners AS text[]), CAST(:currencies AS text[])) ON CONFLICT DO NOTHING RETURNING id"
)
# A nested loop over the ids in their sorted order: each id's row found by the primary key and
# locked before the next (``FOR UPDATE`` inside the lateral subquery keeps it from being flattened
# into a join). Joined as a table instead, a custom plan hashed the whole of ledger_balances
# (112,000 rows after a close, spilling to disk), a full scan per close batch that grows with the
# ledger; locking a batch's 6,000 shared rows took a median 37.5 ms against 32.1 ms now (12
# alternated runs on a closed bench period). Not ``= ANY(:ids)`` either: a row another
# transaction held is checked again once it is let go, and that check searched the whole id
# array linearly; here it compares one id.
_LOCK_BALANCES = text(
    "SELECT b.account_id, b.balance, b.normal_sign, b.non_negative "
    "FROM unnest(CAST(:ids AS text[])) WITH ORDINALITY AS wanted(id, n) CROSS JOIN LATERAL ("
    "SELECT l.account_id, l.balance, l.normal_sign, l.non_negative FROM ledger_balances l "
    "WHERE l.account_id = wanted.id FOR UPDATE) AS b ORDER BY wanted.n"
)
_LOCK_BALANCES_ON_DRIVER = DriverStatement(_LOCK_BALANCES)
_new_tuple = tuple.__new__


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
    with tracing.span("ledger post", attributes={"ledger.entries": len(entries)}):  # a no-op with tracing off
        return await _post_entries(session, entries)


async def _post_entries(session: AsyncSession, entries: Sequence[NewEntry]) -> list[PostedEntry]:
    merged = [(entry, _merged_legs(entry)) for entry in entries]
    keys = [entry.idempotency_key for entry in entries]
    known = await find_entries(session, keys)
    fresh: dict[str, tuple[NewEntry, list[Leg]]] = {}
    for entry, legs in merged:
        if entry.idempotency_key not in known:
            fresh.setdefault(entry.idempotency_key, (entry, legs))
    if fresh:
        await open_accounts(session, [leg.account for _, legs in fresh.values() for leg in legs])
        balances = await lock_balances(session, [leg.account.id for _, legs in fresh.values() for leg in legs])
        # Posted by a transaction that committed while we waited for the locks: not ours to post again.
        for key, posted in (await find_entries(session, list(fresh))).items():
            known[key] = posted
            del fresh[key]
        created = await _write(session, list(fresh.values()), balances)
        known.update(created)
        await stage_entry_posted(session, list(created.values()))
    answers = []
    seen: set[str] = set()
    for key in keys:
        posted = known[key]
        answers.append(posted if key not in seen else replace(posted, created=False))
        seen.add(key)
    return answers


async def _write(
    session: AsyncSession, batch: list[tuple[NewEntry, list[Leg]]], balances: dict[str, LockedBalance]
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
        planned.append((entry, entry.entry_id or new_id("je"), lines))
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
    entry_ids: list[str] = []
    account_ids: list[str] = []
    currencies: list[str] = []
    amounts: list[int] = []
    balances_after: list[int] = []
    for entry, entry_id, lines in planned:
        for leg, after in lines:
            entry_ids.append(entry_id)
            account_ids.append(leg.account.id)
            currencies.append(entry.currency)
            amounts.append(leg.amount)
            balances_after.append(after)
    if len(entry_ids) >= _COPY_POSTINGS_FROM:
        await copy_postings(session, zip(entry_ids, account_ids, currencies, amounts, balances_after, strict=True))
    else:
        await session.execute(
            _INSERT_POSTINGS,
            {
                "entry_ids": entry_ids,
                "account_ids": account_ids,
                "currencies": currencies,
                "amounts": amounts,
                "balances": balances_after,
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


# From this many postings a batch is written with COPY.
_COPY_POSTINGS_FROM = 2000


async def copy_postings(session: AsyncSession, records: Iterable[tuple[str, str, str, int, int]]) -> None:
    """Write postings (entry id, account id, currency, amount, balance after) with one COPY: the same
    statement-level trigger and checks as the INSERT (transition tables fire for COPY too), rows and
    ids in the given order; cheaper per row for the close."""
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    before = (await session.execute(_ROOM_FOR_POSTINGS)).scalar_one()
    await raw.copy_records_to_table(  # type: ignore[union-attr]
        "postings", records=records, columns=["entry_id", "account_id", "currency", "amount", "balance_after"]
    )
    await session.execute(_WORK_MEM_BACK, {"before": before})


# What a bulk COPY of postings may keep in memory: its rows as the statement trigger's transition
# table and that trigger's sort by account. With PostgreSQL's default 4 MB a close batch (~65,000
# postings) wrote ~13 MB of temporary files and read them back, with the balance rows locked.
# Transaction-local, and set back to what it was after the COPY.
POSTINGS_WORK_MEM = "64MB"
_ROOM_FOR_POSTINGS = text(  # raised only: a caller's larger setting stays
    "SELECT current_setting('work_mem'), set_config('work_mem', CASE WHEN pg_size_bytes(current_setting('work_mem')) "
    f"< pg_size_bytes('{POSTINGS_WORK_MEM}') THEN '{POSTINGS_WORK_MEM}' ELSE current_setting('work_mem') END, true)"
)
_WORK_MEM_BACK = text("SELECT set_config('work_mem', :before, true)")
