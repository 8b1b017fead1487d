"""Reading the ledger for the API: statements, entries, balances, the trial balance (CSV: ``csv_export``).

Every read goes through a :class:`trickle_kit.readable.Reader` (SPEC 4, "Privacy"): the
queries ask only for the ledger accounts and postings the reader holds (operators: all),
an entry's other legs show only as counterparty kinds, and references and idempotency keys
mask every account id the reader does not hold (``settle:2027-03:hidden``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_events.ledger_accounts import HOLDER_KINDS, kind_values
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_kit.problems import not_found
from trickle_kit.readable import Reader
from trickle_settlement.ledger.models import JournalEntry, LedgerAccount, LedgerBalance, Posting
from trickle_settlement.statements.schemas import (
    AccountBalances,
    EntryOut,
    EntryPostingOut,
    LedgerAccountBalance,
    StatementLine,
    TrialBalance,
    TrialBalanceLine,
    TrialBalanceTotal,
)


@dataclass(frozen=True)
class StatementFilter:
    account_kind: str | None = None
    posted_from: datetime | None = None
    posted_before: datetime | None = None


def readable_ledger_accounts(reader: Reader) -> Select[LedgerAccount]:
    """The ledger accounts ``reader`` may read: all for operators, else those its accounts own.

    Only holder kinds (wallet, earnings, payouts in transit) are owned by an account (``acct_…``);
    escrow is owned by a thing and provider accounts by a provider, so no account holds them.
    """
    return reader.scope(select(LedgerAccount), LedgerAccount.owner_id)


async def readable_accounts(session: AsyncSession, reader: Reader, account_id: str) -> list[LedgerAccount]:
    """The ledger accounts ``account_id`` names that the reader may read; 404 when none may be.

    ``account_id`` is an account holder (``acct_…``: their wallet, earnings, payouts in transit)
    or one ledger account (``platform_commission``, ``escrow:thing_…``; operators only unless
    it is the reader's own).
    """
    readable = readable_ledger_accounts(reader)
    if account_id.startswith("acct_"):
        if not reader.holds(account_id):
            raise not_found("Account", account_id)
        stmt = readable.where(LedgerAccount.owner_id == account_id, LedgerAccount.kind.in_(kind_values(HOLDER_KINDS)))
        return list((await session.execute(stmt.order_by(LedgerAccount.id))).scalars())
    account = (await session.execute(readable.where(LedgerAccount.id == account_id))).scalar_one_or_none()
    if account is None:
        raise not_found("Ledger account", account_id)
    return [account]


async def balances_of(session: AsyncSession, account_id: str, accounts: Sequence[LedgerAccount]) -> AccountBalances:
    rows = (
        await session.execute(select(LedgerBalance).where(LedgerBalance.account_id.in_([a.id for a in accounts])))
    ).scalars()
    by_id = {b.account_id: b for b in rows}
    return AccountBalances(
        account_id=account_id,
        balances=[
            LedgerAccountBalance(
                ledger_account=a.id,
                kind=a.kind,
                type=a.type,
                owner_id=a.owner_id,
                balance=Money(amount=by_id[a.id].balance, currency=a.currency),
                posting_count=by_id[a.id].posting_count,
            )
            for a in accounts
        ],
    )


def statement_query(
    accounts: Sequence[LedgerAccount], filters: StatementFilter
) -> Select[Posting, JournalEntry, str, int]:
    ids = [a.id for a in accounts if filters.account_kind is None or a.kind == filters.account_kind]
    stmt = (
        select(Posting, JournalEntry, LedgerAccount.kind, LedgerBalance.normal_sign)
        .join(JournalEntry, JournalEntry.id == Posting.entry_id)
        .join(LedgerAccount, LedgerAccount.id == Posting.account_id)
        .join(LedgerBalance, LedgerBalance.account_id == Posting.account_id)
        .where(Posting.account_id.in_(ids))
    )
    if filters.posted_from is not None:
        stmt = stmt.where(JournalEntry.posted_at >= filters.posted_from)
    if filters.posted_before is not None:
        stmt = stmt.where(JournalEntry.posted_at < filters.posted_before)
    return stmt.order_by(Posting.id)


def statement_line(reader: Reader, posting: Posting, entry: JournalEntry, kind: str, normal_sign: int) -> StatementLine:
    return StatementLine(
        id=str(posting.id),
        entry_id=entry.id,
        entry_kind=entry.kind,
        reference=reader.mask(entry.reference),
        period=entry.period,
        posted_at=entry.posted_at,
        ledger_account=posting.account_id,
        account_kind=kind,
        direction="debit" if posting.amount > 0 else "credit",
        amount=Money(amount=normal_sign * posting.amount, currency=posting.currency),
        balance_after=Money(amount=posting.balance_after, currency=posting.currency),
    )


async def statement_page(
    session: AsyncSession,
    reader: Reader,
    accounts: Sequence[LedgerAccount],
    filters: StatementFilter,
    *,
    limit: int,
    starting_after: int | None,
) -> tuple[list[StatementLine], bool]:
    """One page of the statement of ``accounts`` (from :func:`readable_accounts`), oldest line first."""
    stmt = statement_query(accounts, filters)
    if starting_after is not None:
        stmt = stmt.where(Posting.id > starting_after)
    rows = (await session.execute(stmt.limit(limit + 1))).all()
    lines = [statement_line(reader, *row) for row in rows[:limit]]
    return lines, len(rows) > limit


async def entry_for(session: AsyncSession, reader: Reader, entry_id: str) -> EntryOut:
    """An entry as ``reader`` may see it; 404 unless it touches an account the reader holds.

    Operators see every posting. An account holder sees the postings of the accounts they
    hold, the kinds of the other legs (``counterparty_kinds``: no id, owner, amount or
    balance), and the key and reference with other accounts' ids masked.
    """
    entry = await session.get(JournalEntry, entry_id)
    if entry is None:
        raise not_found("Entry", entry_id)
    legs = (
        select(Posting, LedgerAccount.kind, LedgerAccount.owner_id)
        .join(LedgerAccount, LedgerAccount.id == Posting.account_id)
        .where(Posting.entry_id == entry_id)
    )
    rows = (await session.execute(reader.scope(legs, LedgerAccount.owner_id).order_by(Posting.id))).all()
    if not rows:
        raise not_found("Entry", entry_id)
    others = (
        await session.execute(
            select(LedgerAccount.kind)
            .join(Posting, Posting.account_id == LedgerAccount.id)
            .where(Posting.entry_id == entry_id, reader.holds_column(LedgerAccount.owner_id).is_not(True))
            .distinct()
            .order_by(LedgerAccount.kind)
        )
    ).scalars()
    return EntryOut(
        id=entry.id,
        sequence=entry.seq,
        idempotency_key=reader.mask(entry.idempotency_key),
        kind=entry.kind,
        reference=reader.mask(entry.reference),
        period=entry.period,
        currency=entry.currency,
        posted_at=entry.posted_at,
        postings=[
            EntryPostingOut(
                ledger_account=p.account_id,
                kind=kind,
                owner_id=owner,
                amount=Money(amount=p.amount, currency=p.currency),
                balance_after=Money(amount=p.balance_after, currency=p.currency),
            )
            for p, kind, owner in rows
        ],
        counterparty_kinds=list(others),
    )


async def trial_balance(session: AsyncSession, *, verify: bool) -> TrialBalance:
    """Balances per kind and currency in debit/credit columns; totals per currency net to zero."""
    debit_positive = LedgerBalance.normal_sign * LedgerBalance.balance
    rows = (
        await session.execute(
            select(
                LedgerAccount.kind,
                LedgerAccount.type,
                LedgerAccount.currency,
                func.count(),
                func.coalesce(func.sum(func.greatest(debit_positive, 0)), 0),
                func.coalesce(func.sum(func.greatest(-debit_positive, 0)), 0),
            )
            .join(LedgerBalance, LedgerBalance.account_id == LedgerAccount.id)
            .group_by(LedgerAccount.kind, LedgerAccount.type, LedgerAccount.currency)
            .order_by(LedgerAccount.currency, LedgerAccount.type, LedgerAccount.kind)
        )
    ).all()
    lines = [
        TrialBalanceLine(kind=k, type=t, currency=c, accounts=n, debit=int(d), credit=int(cr))
        for k, t, c, n, d, cr in rows
    ]
    sums = dict(
        (await session.execute(select(Posting.currency, func.sum(Posting.amount)).group_by(Posting.currency))).all()
    )
    totals = []
    for currency in sorted({line.currency for line in lines} | set(sums)):
        debit = sum(line.debit for line in lines if line.currency == currency)
        credit = sum(line.credit for line in lines if line.currency == currency)
        totals.append(
            TrialBalanceTotal(
                currency=currency,
                debit=debit,
                credit=credit,
                difference=debit - credit,
                postings_sum=int(sums.get(currency) or 0),
            )
        )
    matches = None
    if verify:
        per_account = (
            select(Posting.account_id, func.sum(Posting.amount).label("total")).group_by(Posting.account_id).subquery()
        )
        drift = (
            await session.execute(
                select(func.count())
                .select_from(LedgerBalance)
                .outerjoin(per_account, per_account.c.account_id == LedgerBalance.account_id)
                .where(LedgerBalance.balance != LedgerBalance.normal_sign * func.coalesce(per_account.c.total, 0))
            )
        ).scalar_one()
        matches = drift == 0
    return TrialBalance(
        as_of=utcnow(),
        balanced=all(t.difference == 0 and t.postings_sum == 0 for t in totals),
        balances_match_postings=matches,
        lines=lines,
        totals=totals,
    )
