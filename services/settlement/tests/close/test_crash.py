"""A close killed with SIGKILL at many points and resumed writes exactly the entries of an uninterrupted close."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from trickle_settlement_testing import synthetic

from trickle_kit.db import make_engine, make_sessionmaker, sync_url
from trickle_kit.testing import PG_ADMIN, fresh_database, worker_suffix
from trickle_settlement.close.gate import start_close

SERVICE_DIR = Path(__file__).resolve().parents[2]
PERIOD = "2034-06"
BATCH = 10


def clone(template: str, name: str) -> str:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    engine.dispose()
    return fresh_url(name)


def fresh_url(name: str) -> str:
    return f"postgresql+asyncpg://postgres@127.0.0.1:55432/{name}"


def run_close(url: str, kill_at: str | None = None) -> int:
    """The close CLI in its own process; ``kill_at`` installs the test hook that SIGKILLs it at a checkpoint."""
    env = {**os.environ, "TRICKLE_LOG_JSON": "false", "TRICKLE_SETTLEMENT_LOG_LEVEL": "WARNING"}
    kill = ["--kill-at", kill_at] if kill_at else []
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "trickle_settlement_testing.crashing_close",
            *kill,
            "run",
            PERIOD,
            "--database-url",
            url,
            "--batch",
            str(BATCH),
        ],
        env=env,
        capture_output=True,
        timeout=120,
    )
    if done.returncode not in (0, -9):
        raise AssertionError(done.stderr.decode()[-3000:])
    return done.returncode


def dump(url: str) -> list[tuple[object, ...]]:
    """Entries and postings of the close, canonical: ordered by key, then posting order; no generated ids."""
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT e.idempotency_key, e.kind, e.currency, e.reference, e.period, "
                "       p.account_id, p.currency, p.amount, p.balance_after "
                "FROM journal_entries e JOIN postings p ON p.entry_id = e.id "
                "WHERE e.kind <> 'opening_balance' ORDER BY e.idempotency_key, p.id"
            )
        ).all()
        period = conn.execute(
            text(
                "SELECT status, patrons_settled, total_spent, total_commission, total_escrow, last_patron_id "
                "FROM close_periods WHERE period = :p"
            ),
            {"p": PERIOD},
        ).one()
        events = conn.execute(
            text(
                "SELECT event_type, key, payload - 'entry_id' - 'posted_at' FROM outbox "
                "WHERE event_type LIKE 'settlement.%' ORDER BY key, event_type"
            )
        ).all()
        escrow = conn.execute(
            text("SELECT thing_id, patron_id, amount, status FROM close_escrow_contributions ORDER BY 1, 2")
        ).all()
        trial = conn.execute(text("SELECT sum(normal_sign * balance), count(*) FROM ledger_balances")).one()
        posted_sum = conn.execute(text("SELECT coalesce(sum(amount), 0) FROM postings")).scalar_one()
    engine.dispose()
    assert trial[0] == 0 and posted_sum == 0, "trial balance must be zero"
    return [*(tuple(r) for r in rows), tuple(period), *(tuple(map(str, e)) for e in events), *map(tuple, escrow)]


@pytest.fixture(scope="module")
def seeded() -> str:
    """A database with a period of a few hundred patrons loaded and its close started (not run)."""
    import asyncio

    name = f"test_settlement_crash_src_{worker_suffix()}"
    url = fresh_database(name, SERVICE_DIR)

    async def seed() -> None:
        engine = make_engine(url, application_name="crash-seed", pool_size=2)
        sessions = make_sessionmaker(engine)
        data = synthetic.generate(period=PERIOD, patrons=300, things=120, creators=30, clicks=1_800, seed=11)
        await synthetic.load(sessions, data)
        async with sessions() as session, session.begin():
            await start_close(session, PERIOD, "test")
        await engine.dispose()

    asyncio.run(seed())
    return name


def test_a_close_killed_at_random_points_and_resumed_writes_the_same_entries(seeded: str) -> None:
    suffix = worker_suffix()
    reference = clone(seeded, f"test_settlement_crash_a_{suffix}")
    crashed = clone(seeded, f"test_settlement_crash_b_{suffix}")
    assert run_close(reference) == 0
    expected = dump(reference)
    assert expected[len(expected) // 2], "the reference close posted entries"

    rng = random.Random(int(os.environ.get("CRASH_SEED", "5")))
    # Four kill points per batch (three inside its transaction, one after the commit): n in 1..8 kills
    # each run within its first two batches, at every kind of point; then the close's last transaction.
    plan = [str(rng.randint(1, 8)) for _ in range(12)] + ["entries_posted:1", "finish:1"]
    kills = 0
    for kill_at in plan:
        if run_close(crashed, kill_at) == -9:
            kills += 1
    assert kills >= 10, f"only {kills} runs were killed"
    assert run_close(crashed) == 0

    assert dump(crashed) == expected
