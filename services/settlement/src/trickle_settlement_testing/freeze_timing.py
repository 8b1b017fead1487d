"""How long a close's start takes to freeze its inputs (``projections.accounts.freeze_for_close``) at the
benchmark's size: ``python -m trickle_settlement_testing.freeze_timing``.

Loads the synthetic period of ``make bench-settlement`` (100,000 patrons, 1,000,000 clicks on 50,000
things of 10,000 creators) into a database of its own (``bench_settlement_freeze``; ``--reuse`` keeps
one loaded before), then times the freeze — the two INSERT … SELECT of the budgets and commission
terms — in ``--runs`` transactions, each rolled back, and prints one line:
``freeze: P patrons, C clicks, budgets B, terms T, freeze min X s, median Y s, backend cpu min Z s (N runs)``.

On a shared machine the wall time follows the load; the CPU time of the PostgreSQL backend that ran
the freeze (read from ``/proc`` when the server is local; ``-`` otherwise) much less.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.testing import PG_ADMIN, PG_SERVER, fresh_database
from trickle_settlement.projections.accounts import freeze_for_close
from trickle_settlement_testing import synthetic

SERVICE_DIR = Path(__file__).resolve().parents[2]
PERIOD = "2026-10"


def _exists(name: str) -> bool:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    engine.dispose()
    return found is not None


async def _load(url: str, patrons: int, clicks: int) -> None:
    engine = make_engine(url, application_name="freeze-timing-load", pool_size=2)
    sessions = make_sessionmaker(engine)
    data = synthetic.generate(period=PERIOD, patrons=patrons, things=50_000, creators=10_000, clicks=clicks, seed=2026)
    await synthetic.load(sessions, data)
    async with sessions() as session, session.begin():
        await session.execute(text("ANALYZE"))  # committed: the planner's statistics of the loaded tables
    await engine.dispose()


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (a local PostgreSQL backend), None when unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _time(url: str, runs: int) -> tuple[int, int, int, list[float], list[float]]:
    engine = make_engine(url, application_name="freeze-timing", pool_size=1)
    sessions = make_sessionmaker(engine)
    timings: list[float] = []
    cpu: list[float] = []
    budgets = terms = 0
    async with sessions() as session:
        clicks = (
            await session.execute(text("SELECT count(*) FROM close_clicks WHERE period = :p"), {"p": PERIOD})
        ).scalar_one()
        backend = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await session.rollback()
        for _ in range(runs):
            cpu_before = _cpu_s(backend)
            started = time.perf_counter()
            budgets, terms = await freeze_for_close(session, PERIOD)
            timings.append(time.perf_counter() - started)
            cpu_after = _cpu_s(backend)
            if cpu_before is not None and cpu_after is not None:
                cpu.append(cpu_after - cpu_before)
            await session.rollback()  # each run freezes the same inputs afresh
    await engine.dispose()
    return int(clicks), budgets, terms, timings, cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m trickle_settlement_testing.freeze_timing", description=__doc__)
    parser.add_argument("--patrons", type=int, default=100_000)
    parser.add_argument("--clicks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="bench_settlement_freeze")
    parser.add_argument("--reuse", action="store_true", help="time on the database loaded by an earlier run")
    args = parser.parse_args(argv)
    if args.reuse and _exists(args.database):
        url = f"{PG_SERVER}/{args.database}"
    else:
        url = fresh_database(args.database, SERVICE_DIR)
        asyncio.run(_load(url, args.patrons, args.clicks))
    clicks, budgets, terms, timings, cpu = asyncio.run(_time(url, args.runs))
    cpu_min = f"{min(cpu):.2f} s" if cpu else "-"
    print(
        f"freeze: {args.patrons} patrons, {clicks} clicks, budgets {budgets}, terms {terms}, "
        f"freeze min {min(timings):.2f} s, median {statistics.median(timings):.2f} s, "
        f"backend cpu min {cpu_min} ({len(timings)} runs)"
    )


if __name__ == "__main__":
    main()
