"""Posting a close batch with as little work as possible while its balance rows are locked.

``post_entries`` does everything after taking the locks: it validates the entries, builds a
``PostedEntry`` per entry and a line per posting, then the ``ledger.entry.posted`` payloads from
them. A close batch's transaction holds the balance rows of the platform's commission, of most
creators and of escrow while it does that, and every other batch of the close waits for them.

Here the work is split in two:

- ``prepare_entries`` (no database, run while the previous batch writes): validates each entry as
  ``post_entries`` does, lists the accounts, lays out the postings, and writes each posting's
  and each entry's JSON up to the values only the locks give (``balance_after``, ``sequence``,
  ``posted_at``);
- ``post_prepared`` (in the batch's transaction): the same statements as ``post_entries`` — accounts
  opened, balance rows locked in sorted order, overdrafts refused, entries inserted, postings copied,
  events staged — with only the balances after each posting (the locked balance plus sums laid
  out beforehand) and the last pieces of JSON left to compute.

What is written is what ``post_entries`` writes for the same entries (``tests/ledger/test_bulk_posting.py``
compares both). Entries already posted, or posted by another transaction while this one waited for
the locks, are left to ``post_entries`` (a resumed batch, not the usual path).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit import tracing
from trickle_settlement import staged
from trickle_settlement.ledger.chart import HOLDER_KINDS, AccountRef
from trickle_settlement.ledger.errors import AccountMismatch, InsufficientFunds, InvalidEntry
from trickle_settlement.ledger.journal import NewEntry, find_entries
from trickle_settlement.ledger.posting import (
    _INSERT_ENTRIES,
    KnownAccounts,
    LockedBalance,
    _merged_legs,
    copy_postings,
    lock_balances,
    open_accounts,
    post_entries,
)
from trickle_settlement.outbox import OUTBOX

_text = json.JSONEncoder(separators=(",", ":")).encode

# Bulk posters take turns before they lock balance rows, and hold the turn until they commit.
# Every close batch locks the same hot rows (the platform's commission, most creators, escrow);
# without the turn, a batch's lock statement started while another batch held them, waited on
# the first, and then rechecked each row the other had updated once it committed (PostgreSQL's
# READ COMMITTED recheck: with the join the lock statement was until f4bfbaf, a hash table and a
# temporary file per row, ~6,000 per batch; one key comparison since). Waiting on the turn
# instead, the lock statement starts after the other's commit and reads the rows as they are.
# Single postings do not take it.
_BULK_TURN = text("SELECT pg_advisory_xact_lock(hashtext('trickle_settlement.ledger.bulk_turn'))")


@dataclass(frozen=True, slots=True)
class PreparedEntries:
    """Entries laid out for ``post_prepared``: per entry and per posting (entries' order, legs' order)."""

    entries: list[NewEntry]
    keys: list[str]
    entry_ids: list[str]
    accounts: list[AccountRef]  # each account once
    line_counts: list[int]  # postings per entry
    line_entry_ids: list[str]
    line_accounts: list[str]
    line_amounts: list[int]
    line_currencies: list[str]
    line_json: list[str]  # a posting line of the event, up to its balance_after
    head_json: list[str]  # the event payload, up to posted_at
    tail_json: list[str]  # from the postings' end, up to the sequence
    event_keys: list[str | None]  # the event's partition key: the first account holder concerned
    # Per posting, the sum of its account's amounts in the batch up to it (itself included); per
    # account, the lowest and highest of those sums: with the locked balance, each posting's
    # balance after it and any overdraft, without walking the postings under the locks.
    line_sums: list[int]
    lowest_sum: dict[str, int]
    highest_sum: dict[str, int]


def prepare_entries(entries: Sequence[NewEntry]) -> PreparedEntries:
    """Validate and lay out ``entries`` (each with its ``entry_id``); ``InvalidEntry`` as ``post_entries`` raises it."""
    layout = _Layout()
    for entry in entries:
        layout.add(entry)
    return layout.done()


async def prepare_entries_yielding(entries: Sequence[NewEntry], every: int = 100) -> PreparedEntries:
    """``prepare_entries``, handing the event loop back every ``every`` entries.

    For a close's read-ahead, which lays out the next batch while the current one holds the bulk
    turn in the same process: laid out in one go (~5,000 entries, a tenth of a second or more),
    it kept the loop from sending the turn's next statement until it was done.
    """
    layout = _Layout()
    for n, entry in enumerate(entries, 1):
        layout.add(entry)
        if n % every == 0:
            await asyncio.sleep(0)
    return layout.done()


class _Layout:
    """``PreparedEntries`` built one entry at a time (what ``prepare_entries`` does for each)."""

    def __init__(self) -> None:
        self.prepared = PreparedEntries([], [], [], [], [], [], [], [], [], [], [], [], [], [], {}, {})
        self.seen: dict[str, AccountRef] = {}
        self.keys: set[str] = set()
        self.sums: dict[str, int] = {}  # each account's amounts so far

    def add(self, entry: NewEntry) -> None:
        prepared, seen = self.prepared, self.seen
        entry_id = entry.entry_id
        if entry_id is None:
            raise InvalidEntry(f"entry {entry.idempotency_key} needs its id to be prepared")
        legs = _merged_legs(entry)
        if entry.idempotency_key in self.keys:
            raise InvalidEntry(f"entry {entry.idempotency_key} is in the batch twice")
        self.keys.add(entry.idempotency_key)
        prepared.entries.append(entry)
        prepared.keys.append(entry.idempotency_key)
        prepared.entry_ids.append(entry_id)
        prepared.line_counts.append(len(legs))
        line_entry_ids, line_accounts = prepared.line_entry_ids, prepared.line_accounts
        line_amounts, line_currencies, line_json = prepared.line_amounts, prepared.line_currencies, prepared.line_json
        lines = _LINES
        sums, line_sums, lowest, highest = self.sums, prepared.line_sums, prepared.lowest_sum, prepared.highest_sum
        holders: set[str] = set()
        currency = entry.currency
        currency_tail = f',"currency":{staged.json_str(currency)},"balance_after":'
        for account, amount in legs:
            account_id = account.id
            known = seen.setdefault(account_id, account)
            if known is not account and known != account:  # one id, two currencies, kinds or owners
                raise AccountMismatch(
                    f"{account_id} is named as a {known.kind} account in {known.currency} and in {account.currency}"
                )
            line = lines.get(account_id) or _line_of(account)
            line_entry_ids.append(entry_id)
            line_accounts.append(account_id)
            line_amounts.append(amount)
            line_currencies.append(currency)
            line_json.append(f"{line[0]}{amount}{currency_tail}")
            if line[1] is not None:
                holders.add(line[1])
            running = sums[account_id] = sums.get(account_id, 0) + amount
            line_sums.append(running)
            if running < lowest.get(account_id, running + 1):
                lowest[account_id] = running
            if running > highest.get(account_id, running - 1):
                highest[account_id] = running
        concerned = sorted(holders)
        prepared.head_json.append(
            staged.entry_posted_head(
                entry_id=entry_id,
                idempotency_key=entry.idempotency_key,
                kind=entry.kind,
                currency=currency,
                reference=entry.reference,
            )
        )
        prepared.tail_json.append("]" + staged.entry_posted_tail(concerned))
        prepared.event_keys.append(concerned[0] if concerned else None)

    def done(self) -> PreparedEntries:
        self.prepared.accounts.extend(self.seen.values())
        return self.prepared


# A posting line's JSON up to its amount and the account's holder (None: not one), by account id
# (an id names one account: its kind and owner).
_LINES: dict[str, tuple[str, str | None]] = {}


def _line_of(account: AccountRef) -> tuple[str, str | None]:
    """A posting line's JSON (``staged.posting_line``'s keys, in its order) up to its amount, and the
    owner the entry concerns when the account is a holder's."""
    if len(_LINES) >= 1 << 17:
        _LINES.clear()
    full = _text(staged.posting_line(account.id, account.kind, account.owner_id, 0, "", 0))
    holder = account.owner_id if account.owner_id is not None and account.kind in HOLDER_KINDS else None
    line = _LINES[account.id] = (full[: full.index('"amount":') + len('"amount":')], holder)
    return line


async def post_prepared(
    session: AsyncSession, prepared: PreparedEntries, known: KnownAccounts | None = None
) -> list[str]:
    """Post the prepared entries in the session's transaction; the id each key is posted under (the
    prepared id, or an earlier posting's). Raises ``InsufficientFunds`` (nothing written) like ``post_entries``.
    Accounts in ``known`` (committed as named, see ``posting.KnownAccounts``) are not looked up again.
    Takes the bulk turn before any balance row: call it before the transaction locks balance rows
    in any other way (``posting.lock_balances``' lock order)."""
    with tracing.span("ledger post", attributes={"ledger.entries": len(prepared.entries)}):
        if not prepared.entries:
            return []
        if await find_entries(session, prepared.keys):
            return await _post_generally(session, prepared)
        await open_accounts(session, prepared.accounts, known)
        await session.execute(_BULK_TURN)
        balances = await lock_balances(session, [a.id for a in prepared.accounts])
        if await find_entries(session, prepared.keys):  # posted by a transaction that committed while we waited
            return await _post_generally(session, prepared)
        afters = _balances_after(prepared, balances)
        rows = await session.execute(
            _INSERT_ENTRIES,
            {
                "ids": prepared.entry_ids,
                "keys": prepared.keys,
                "kinds": [e.kind for e in prepared.entries],
                "currencies": [e.currency for e in prepared.entries],
                "references": [e.reference for e in prepared.entries],
                "periods": [e.period for e in prepared.entries],
            },
        )
        numbered: dict[str, tuple[int, datetime]] = {entry_id: (seq, at) for entry_id, seq, at in rows.tuples()}
        await copy_postings(
            session,
            zip(
                prepared.line_entry_ids,
                prepared.line_accounts,
                prepared.line_currencies,
                prepared.line_amounts,
                afters,
                strict=True,
            ),
        )
        await OUTBOX.copy_many(session, _entry_posted_events(prepared, afters, numbered))
        return prepared.entry_ids


async def _post_generally(session: AsyncSession, prepared: PreparedEntries) -> list[str]:
    return [posted.id for posted in await post_entries(session, prepared.entries)]


def _balances_after(prepared: PreparedEntries, balances: dict[str, LockedBalance]) -> list[int]:
    """Each posting's balance after it, entries in order; ``InsufficientFunds`` as ``post_entries`` raises it.

    From the sums laid out before the locks: the balance after a posting is the locked balance plus
    its normal sign times the account's amounts up to it, and a guarded account goes below zero
    somewhere in the batch only if it does at its lowest (or, credit-normal, highest) sum.
    """
    start = {account_id: (b.balance, b.normal_sign) for account_id, b in balances.items()}
    lowest, highest = prepared.lowest_sum, prepared.highest_sum
    for account_id, b in balances.items():
        if b.non_negative and b.balance + b.normal_sign * (lowest if b.normal_sign > 0 else highest)[account_id] < 0:
            _refuse_overdraft(prepared, balances)
    return [
        balance + sign * running
        for (balance, sign), running in zip(
            map(start.__getitem__, prepared.line_accounts), prepared.line_sums, strict=True
        )
    ]


def _refuse_overdraft(prepared: PreparedEntries, balances: dict[str, LockedBalance]) -> NoReturn:
    """Raise ``InsufficientFunds`` for the first posting, in the entries' order, that overdraws a guarded account."""
    running = {account_id: b.balance for account_id, b in balances.items()}
    accounts, amounts = prepared.line_accounts, prepared.line_amounts
    line = 0
    for entry_index, count in enumerate(prepared.line_counts):
        for j in range(line, line + count):
            account, amount = accounts[j], amounts[j]
            b = balances[account]
            after = running[account] + b.normal_sign * amount
            if after < 0 and b.non_negative:
                raise InsufficientFunds(
                    account, running[account], -b.normal_sign * amount, entry_key=prepared.keys[entry_index]
                )
            running[account] = after
        line += count
    raise AssertionError("an overdraft was found in the sums but not posting by posting")


def _entry_posted_events(
    prepared: PreparedEntries, afters: list[int], numbered: dict[str, tuple[int, datetime]]
) -> list[staged.StagedEntryPosted]:
    """``ledger.entry.posted`` of each entry: the prepared JSON with its balances, number and time."""
    times: dict[datetime, str] = {}
    events = []
    line = 0
    for i, entry_id in enumerate(prepared.entry_ids):
        seq, posted_at = numbered[entry_id]
        at = times.get(posted_at)
        if at is None:
            at = times[posted_at] = _text(staged.json_datetime(posted_at))
        end = line + prepared.line_counts[i]
        lines = ",".join([prepared.line_json[j] + str(afters[j]) + "}" for j in range(line, end)])
        line = end
        payload = f'{prepared.head_json[i]}{at},"postings":[{lines}{prepared.tail_json[i]}{seq}}}'
        events.append(staged.StagedEntryPosted(payload, prepared.event_keys[i], entry_id))
    return events
