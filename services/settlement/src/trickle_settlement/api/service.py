"""Reading the ledger for the API: who may see which accounts, statements, entries, the trial balance."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.auth import Principal
from trickle_kit.envelope import utcnow
from trickle_kit.money import Money
from trickle_kit.problems import not_found
from trickle_settlement.api.schemas import (
    AccountBalances,
    EntryOut,
    EntryPostingOut,
    LedgerAccountBalance,
    StatementLine,
    TrialBalance,
    TrialBalanceLine,
    TrialBalanceTotal,
)
from trickle_settlement.ledger.chart import HOLDER_KINDS
from trickle_settlement.ledger.models import JournalEntry, LedgerAccount, LedgerBalance, Posting


@dataclass(frozen=True)
class StatementFilter:
    account_kind: str | None = None
    posted_from: datetime | None = None
    posted_before: datetime | None = None


async def readable_accounts(session: AsyncSession, principal: Principal, account_id: str) -> list[LedgerAccount]:
    """The ledger accounts ``account_id`` names that the caller may read; 404 when none may be.

    ``account_id`` is an account holder (``acct_…``: their wallet, earnings, payouts in transit)
    or one ledger account (``platform_commission``, ``escrow:thing_…``; operators only unless
    it is the caller's own).
    """
    holder_accounts = select(LedgerAccount).where(
        LedgerAccount.owner_id == account_id, LedgerAccount.kind.in_(HOLDER_KINDS)
    )
    if account_id.startswith("acct_"):
        if not principal.may_act_for(account_id):
            raise not_found("Account", account_id)
        return list((await session.execute(holder_accounts.order_by(LedgerAccount.id))).scalars())
    account = await session.get(LedgerAccount, account_id)
    if account is None:
        raise not_found("Ledger account", account_id)
    own = account.kind in HOLDER_KINDS and account.owner_id is not None and principal.may_act_for(account.owner_id)
    if not (principal.is_operator or own):
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


def _statement_query(
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


def _line(posting: Posting, entry: JournalEntry, kind: str, normal_sign: int) -> StatementLine:
    return StatementLine(
        id=str(posting.id),
        entry_id=entry.id,
        entry_kind=entry.kind,
        reference=entry.reference,
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
    accounts: Sequence[LedgerAccount],
    filters: StatementFilter,
    *,
    limit: int,
    starting_after: int | None,
) -> tuple[list[StatementLine], bool]:
    stmt = _statement_query(accounts, filters)
    if starting_after is not None:
        stmt = stmt.where(Posting.id > starting_after)
    rows = (await session.execute(stmt.limit(limit + 1))).all()
    lines = [_line(*row) for row in rows[:limit]]
    return lines, len(rows) > limit


CSV_COLUMNS = [
    "posting_id",
    "posted_at",
    "entry_id",
    "entry_kind",
    "reference",
    "period",
    "ledger_account",
    "account_kind",
    "direction",
    "amount_minor",
    "balance_after_minor",
    "currency",
]


async def statement_csv(
    sessions: async_sessionmaker[AsyncSession], accounts: Sequence[LedgerAccount], filters: StatementFilter
) -> AsyncIterator[str]:
    """The whole statement as CSV, streamed from the database in chunks (never all in memory)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    async with sessions() as session:
        result = await session.stream(_statement_query(accounts, filters).execution_options(yield_per=500))
        async for partition in result.partitions():
            buffer.seek(0)
            buffer.truncate()
            for row in partition:
                line = _line(*row)
                writer.writerow(
                    [
                        line.id,
                        line.posted_at.isoformat(),
                        line.entry_id,
                        line.entry_kind,
                        line.reference or "",
                        line.period or "",
                        line.ledger_account,
                        line.account_kind,
                        line.direction,
                        line.amount.amount,
                        line.balance_after.amount,
                        line.amount.currency,
                    ]
                )
            yield buffer.getvalue()


async def entry_for(session: AsyncSession, principal: Principal, entry_id: str) -> EntryOut:
    """An entry with its postings, for operators and for holders of an account it touches."""
    entry = await session.get(JournalEntry, entry_id)
    if entry is None:
        raise not_found("Entry", entry_id)
    rows = (
        await session.execute(
            select(Posting, LedgerAccount.kind, LedgerAccount.owner_id)
            .join(LedgerAccount, LedgerAccount.id == Posting.account_id)
            .where(Posting.entry_id == entry_id)
            .order_by(Posting.id)
        )
    ).all()
    holders = {owner for _, kind, owner in rows if kind in HOLDER_KINDS and owner}
    if not principal.is_operator and principal.account_id not in holders:
        raise not_found("Entry", entry_id)
    return EntryOut(
        id=entry.id,
        sequence=entry.seq,
        idempotency_key=entry.idempotency_key,
        kind=entry.kind,
        reference=entry.reference,
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
