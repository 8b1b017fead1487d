"""Posting throughput of the settlement ledger, with every database invariant on.

    .venv/bin/python bench/bench_ledger.py     (BENCH_LEDGER_ENTRIES=20000, BENCH_LEDGER_BATCH=1000)

Opens N funded patron wallets, then posts N settlement-shaped entries (wallet debit, five
creators, platform commission: 7 postings) through ``post_entries`` in batches, then 500
tips one by one through ``post_entry`` (one transaction each, as the wallet consumer does).
Last line: ``ledger: N entries, batched E entries/s (P postings/s), single S ms/entry``.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.testing import fresh_database
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, post_entries, post_entry

N = int(os.environ.get("BENCH_LEDGER_ENTRIES", "20000"))
BATCH = int(os.environ.get("BENCH_LEDGER_BATCH", "1000"))
CREATORS = 2000
SINGLES = 500
SERVICE = Path(__file__).resolve().parents[1] / "services" / "settlement"


def settlement(i: int, patron: str) -> NewEntry:
    creators = [f"acct_c{(i * 7 + k * 13) % CREATORS:05d}" for k in range(5)]
    legs = [Leg(chart.patron_wallet(patron, "EUR"), 500)]
    legs += [Leg(chart.creator_earnings(c, "EUR"), -90) for c in creators]
    legs.append(Leg(chart.platform_commission("EUR"), -50))
    return NewEntry(idempotency_key=f"settle:bench:{patron}", kind="settlement", currency="EUR", legs=legs)


async def main() -> None:
    url = fresh_database("bench_ledger", SERVICE)
    engine = make_engine(url, application_name="bench-ledger", pool_size=2)
    sessions = make_sessionmaker(engine)
    patrons = [f"acct_p{i:07d}" for i in range(N)]
    for start in range(0, N, 2000):
        chunk = patrons[start : start + 2000]
        legs = [Leg(chart.provider_clearing("bench", "EUR"), 1000 * len(chunk))]
        legs += [Leg(chart.patron_wallet(p, "EUR"), -1000) for p in chunk]
        async with sessions() as s, s.begin():
            await post_entry(s, NewEntry(idempotency_key=f"open:{start}", kind="opening", currency="EUR", legs=legs))

    started = time.perf_counter()
    for start in range(0, N, BATCH):
        async with sessions() as s, s.begin():
            await post_entries(s, [settlement(i, p) for i, p in enumerate(patrons[start : start + BATCH], start)])
    batched = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(SINGLES):
        tip = NewEntry(
            idempotency_key=f"transfer:bench:{i}",
            kind="transfer",
            currency="EUR",
            legs=[
                Leg(chart.patron_wallet(patrons[i % N], "EUR"), 10),
                Leg(chart.creator_earnings(f"acct_c{i % CREATORS:05d}", "EUR"), -9),
                Leg(chart.platform_commission("EUR"), -1),
            ],
        )
        async with sessions() as s, s.begin():
            await post_entry(s, tip)
    single = time.perf_counter() - started
    await engine.dispose()
    print(
        f"ledger: {N} entries, batched {N / batched:.0f} entries/s ({7 * N / batched:.0f} postings/s), "
        f"single {single / SINGLES * 1000:.1f} ms/entry"
    )


if __name__ == "__main__":
    asyncio.run(main())
