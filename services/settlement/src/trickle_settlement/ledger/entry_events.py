"""``ledger.entry.posted``: each posted entry announced in the outbox, in the poster's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger import EntryPosted, PostingLine
from trickle_settlement import staged
from trickle_settlement.ledger.chart import HOLDER_KINDS
from trickle_settlement.ledger.journal import PostedEntry
from trickle_settlement.outbox import OUTBOX

# Above this many events a batch is staged with COPY (a few round trips more, far cheaper per row).
_COPY_FROM = 200


async def stage_entry_posted(session: AsyncSession, entries: Sequence[PostedEntry]) -> None:
    """Stage ``ledger.entry.posted`` for each of ``entries``, in order, in the session's transaction."""
    times: dict[datetime, str] = {}
    events = []
    for posted in entries:
        at = times.get(posted.posted_at)
        if at is None:
            at = times[posted.posted_at] = staged.json_datetime(posted.posted_at)
        events.append(
            staged.entry_posted(
                entry_id=posted.id,
                idempotency_key=posted.idempotency_key,
                kind=posted.kind,
                currency=posted.currency,
                reference=posted.reference,
                posted_at=at,
                postings=[
                    staged.posting_line(
                        line.account_id, line.kind, line.owner_id, line.amount, line.currency, line.balance_after
                    )
                    for line in posted.lines
                ],
                account_ids_concerned=_holders(posted),
                sequence=posted.seq,
            )
        )
    if len(events) >= _COPY_FROM:
        await OUTBOX.copy_many(session, events)
    else:
        await OUTBOX.add_many(session, events)


def _holders(posted: PostedEntry) -> list[str]:
    """The account holders an entry concerns: owners of holder kinds (escrow and provider accounts have none)."""
    return sorted({line.owner_id for line in posted.lines if line.owner_id is not None and line.kind in HOLDER_KINDS})


def entry_posted_event(posted: PostedEntry) -> EntryPosted:
    """The ``ledger.entry.posted`` event of an entry (account holders concerned, balances after)."""
    holders = _holders(posted)
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
