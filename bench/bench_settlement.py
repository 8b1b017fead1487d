"""Settlement benchmark: close a synthetic period of 100,000 patrons and 1,000,000 clicks.

Loads the period into a fresh database ``bench_settlement`` (click projection by COPY, wallets
funded through the ledger with balanced opening entries), then, for each worker count W, closes
a copy of it (``bench_settlement_w<W>``) with W close processes at once
(``python -m trickle_settlement.close start <period>``: one starts the close, all share it);
the wall time until the last one exits and the largest peak RSS of one are the result (each
copy is dropped once measured). For
scale, a raw COPY of as many rows as the close posted, into a scratch table shaped like
``postings``, is timed as the floor (after each close, so the ratio compares figures of one run).

    make bench-settlement                      # the full size, W = 1 and 2
    BENCH_PATRONS=10000 BENCH_CLICKS=100000 BENCH_WORKERS=2 .venv/bin/python bench/bench_settlement.py

One line per W: ``settlement: P patrons, C clicks, workers W, close T s, rss M MiB, copy-floor F s, ratio T/F``.
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from trickle_settlement_testing import synthetic

from trickle_kit.db import make_engine, make_sessionmaker, sync_url
from trickle_kit.testing import PG_ADMIN, PG_SERVER, drop_database, fresh_database

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "settlement"
PERIOD = "2026-10"
DATABASE = os.environ.get("BENCH_DATABASE", "bench_settlement")
PATRONS = int(os.environ.get("BENCH_PATRONS", "100000"))
CLICKS = int(os.environ.get("BENCH_CLICKS", "1000000"))
THINGS = int(os.environ.get("BENCH_THINGS", "50000"))
CREATORS = int(os.environ.get("BENCH_CREATORS", "10000"))
BATCH = int(os.environ.get("BENCH_BATCH", "5000"))
WORKERS = [int(w) for w in os.environ.get("BENCH_WORKERS", "1,2").split(",")]


async def load(url: str) -> int:
    engine = make_engine(url, application_name="bench-settlement-load", pool_size=2)
    sessions = make_sessionmaker(engine)
    data = synthetic.generate(
        period=PERIOD, patrons=PATRONS, things=THINGS, creators=CREATORS, clicks=CLICKS, seed=2026
    )
    started = time.perf_counter()
    clicks = await synthetic.load(sessions, data)
    # VACUUM as well as ANALYZE: every clone then starts with its pages' visibility known, and the
    # loaded tables' autovacuum does not run during a close (it took a core at times before).
    vacuum = create_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    with vacuum.connect() as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    vacuum.dispose()
    print(f"loaded {PATRONS} patrons, {clicks} clicks, {THINGS} things in {time.perf_counter() - started:.1f} s")
    await engine.dispose()
    return clicks


def clone(template: str, name: str) -> str:
    """A copy of the loaded database, so every worker count closes the same period."""
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        # FILE_COPY: the copy is made on disk between two checkpoints, instead of through the
        # buffers and the WAL (~1 GB for this period) that the close's checkpoints would then write.
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'))
    engine.dispose()
    return f"{PG_SERVER}/{name}"


def checkpoint() -> None:
    """Write out what earlier phases left dirty, so a timed phase does not pay for it."""
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CHECKPOINT"))
    engine.dispose()


def close(url: str, workers: int) -> tuple[float, float]:
    """(wall seconds until the last close process exits, largest peak RSS MiB of one) of ``workers`` processes."""
    env = {**os.environ, "TRICKLE_LOG_JSON": "false", "TRICKLE_SETTLEMENT_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "trickle_settlement.close", "start", PERIOD, "--database-url", url]
    command += ["--batch", str(BATCH)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"close process failed ({process.returncode}):\n{err[-3000:]}")
        print(out.strip().splitlines()[-1])
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak_kib <= before:
        print("warning: peak RSS of the close not above earlier children's", file=sys.stderr)
    return wall, peak_kib / 1024


async def check_and_floor(url: str) -> tuple[int, int, float]:
    """(entries, postings) of the close, after checking the trial balance; then the raw COPY floor."""
    engine = make_engine(url, application_name="bench-settlement-floor", pool_size=2)
    sessions = make_sessionmaker(engine)
    async with sessions() as session:
        entries, postings = (
            await session.execute(
                text(
                    "SELECT count(DISTINCT e.id), count(*) FROM journal_entries e JOIN postings p ON p.entry_id = e.id "
                    "WHERE e.kind = 'settlement' AND e.period = :p"
                ),
                {"p": PERIOD},
            )
        ).one()
        trial = (await session.execute(text("SELECT sum(normal_sign * balance) FROM ledger_balances"))).scalar_one()
        status = (
            await session.execute(text("SELECT status FROM close_periods WHERE period = :p"), {"p": PERIOD})
        ).scalar_one()
    assert trial == 0, f"trial balance is {trial}"
    assert status == "closed", status
    records = [
        (f"je_{i // 12:032x}", f"creator_earnings:acct_{i % 10_000:032x}", "EUR", -(i % 997) - 1, i)
        for i in range(postings)
    ]
    async with sessions() as session, session.begin():
        await session.execute(
            text(
                "CREATE TABLE IF NOT EXISTS bench_copy_floor (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                "entry_id varchar(64), account_id varchar(200), currency varchar(3), amount bigint, "
                "balance_after bigint)"
            )
        )
        await session.execute(
            text("CREATE INDEX IF NOT EXISTS ix_bench_copy_floor_entry ON bench_copy_floor (entry_id)")
        )
        await session.execute(
            text("CREATE INDEX IF NOT EXISTS ix_bench_copy_floor_account ON bench_copy_floor (account_id, id)")
        )
        await session.execute(text("TRUNCATE bench_copy_floor"))
    checkpoint()
    async with sessions() as session, session.begin():
        connection = await session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        started = time.perf_counter()
        await raw.copy_records_to_table(  # type: ignore[union-attr]
            "bench_copy_floor",
            records=records,
            columns=["entry_id", "account_id", "currency", "amount", "balance_after"],
        )
    floor = time.perf_counter() - started
    await engine.dispose()
    return int(entries), int(postings), floor


def main() -> None:
    url = fresh_database(DATABASE, SERVICE_DIR)
    clicks = asyncio.run(load(url))
    results = []
    for workers in WORKERS:
        copy = clone(DATABASE, f"{DATABASE}_w{workers}")
        checkpoint()
        wall, rss = close(copy, workers)
        entries, postings, floor = asyncio.run(check_and_floor(copy))
        print(f"workers {workers}: close posted {entries} entries with {postings} postings; trial balance zero")
        # Dropped once measured: the autovacuum of the 1.2 million postings and the outbox it wrote
        # would otherwise run during the next worker count's close.
        drop_database(copy.rsplit("/", 1)[1])
        results.append(
            f"settlement: {PATRONS} patrons, {clicks} clicks, workers {workers}, close {wall:.1f} s, "
            f"rss {rss:.0f} MiB, copy-floor {floor:.2f} s, ratio {wall / floor:.1f}"
        )
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("\n".join(results))


if __name__ == "__main__":
    main()
