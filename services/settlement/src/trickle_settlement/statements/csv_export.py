"""A statement as CSV: the first chunk read before the response starts, the rest streamed from the database."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.readable import Reader
from trickle_settlement.ledger.models import LedgerAccount, Posting
from trickle_settlement.statements.schemas import StatementLine
from trickle_settlement.statements.service import StatementFilter, statement_line, statement_page, statement_query

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
# Lines read before the response starts (its errors are still a problem+json) and per later chunk.
CSV_CHUNK = 500


def _csv_text(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _csv_row(line: StatementLine) -> list[object]:
    return [
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


@dataclass(frozen=True)
class CsvStatement:
    """A statement export whose first chunk is already read: what can fail has failed before any byte is sent."""

    reader: Reader
    accounts: Sequence[LedgerAccount]
    filters: StatementFilter
    first: list[StatementLine]
    has_more: bool

    async def chunks(self, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[str]:
        """The CSV text: header and first chunk, then the rest streamed from the database (never all in memory)."""
        yield _csv_text([CSV_COLUMNS, *(_csv_row(line) for line in self.first)])
        if not self.has_more:
            return
        stmt = statement_query(self.accounts, self.filters).where(Posting.id > int(self.first[-1].id))
        async with sessions() as session:
            result = await session.stream(stmt.execution_options(yield_per=CSV_CHUNK))
            async for partition in result.partitions():
                yield _csv_text(_csv_row(statement_line(self.reader, *row)) for row in partition)


async def open_statement_csv(
    session: AsyncSession, reader: Reader, accounts: Sequence[LedgerAccount], filters: StatementFilter
) -> CsvStatement:
    """Read the first chunk of a CSV statement, so that a failing read answers with a problem, not a cut stream."""
    first, has_more = await statement_page(session, reader, accounts, filters, limit=CSV_CHUNK, starting_after=None)
    return CsvStatement(reader=reader, accounts=accounts, filters=filters, first=first, has_more=has_more)
