"""Closes of one seeded period in separate databases, and what they wrote, for comparing closes.

``seed_period`` loads a synthetic period into a fresh database and starts its close;
``clone`` copies it (a PostgreSQL template) so several closes of the same period can be run
and compared; ``close_process`` runs the close CLI (with the kill hook of ``crashing_close``)
in its own process; ``dump`` reads back what a close wrote, after checking the trial balance.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from trickle_kit.db import make_engine, make_sessionmaker, sync_url
from trickle_kit.testing import PG_ADMIN, PG_SERVER, fresh_database
from trickle_settlement.close.gate import start_close
from trickle_settlement_testing import synthetic

SERVICE_DIR = Path(__file__).resolve().parents[2]

Row = tuple[object, ...]


def seed_period(name: str, period: str, *, patrons: int, clicks: int, seed: int) -> str:
    """Database ``name`` (fresh, migrated) with a synthetic period loaded and its close started (not run)."""
    url = fresh_database(name, SERVICE_DIR)

    async def load() -> None:
        engine = make_engine(url, application_name="close-seed", pool_size=2)
        sessions = make_sessionmaker(engine)
        data = synthetic.generate(period=period, patrons=patrons, things=120, creators=30, clicks=clicks, seed=seed)
        await synthetic.load(sessions, data)
        async with sessions() as session, session.begin():
            await start_close(session, period, "test")
        await engine.dispose()

    asyncio.run(load())
    return url


def clone(template: str, name: str) -> str:
    """A copy of database ``template`` named ``name``; its asyncpg URL."""
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    engine.dispose()
    return f"{PG_SERVER}/{name}"


def close_process(url: str, period: str, *, batch: int, kill_at: str | None = None) -> subprocess.Popen[bytes]:
    """The close CLI running ``period`` in its own process; ``kill_at`` SIGKILLs it at a checkpoint."""
    env = {**os.environ, "TRICKLE_LOG_JSON": "false", "TRICKLE_SETTLEMENT_LOG_LEVEL": "WARNING"}
    kill = ["--kill-at", kill_at] if kill_at else []
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trickle_settlement_testing.crashing_close",
            *kill,
            "run",
            period,
            "--database-url",
            url,
            "--batch",
            str(batch),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finished(process: subprocess.Popen[bytes], timeout: float = 180) -> int:
    """Wait for a close process: its return code, 0 (closed) or -9 (killed); anything else fails."""
    _, err = process.communicate(timeout=timeout)
    if process.returncode not in (0, -9):
        raise AssertionError(err.decode()[-3000:])
    return process.returncode


def _event(event_type: str, key: str, payload: dict[str, Any], *, interleaved: bool) -> Row:
    """An outbox event without what differs between two equal closes: entry ids, posting times and ledger
    sequence numbers (a killed run's rolled-back batch used some), and when workers interleaved,
    balances after each posting."""
    payload = {k: v for k, v in payload.items() if k not in ("entry_id", "posted_at", "sequence")}
    if interleaved and "postings" in payload:
        payload["postings"] = [{k: v for k, v in p.items() if k != "balance_after"} for p in payload["postings"]]
    return (event_type, key, json.dumps(payload, sort_keys=True))


def dump(url: str, period: str, *, interleaved: bool = False) -> list[Row]:
    """What the close of ``period`` wrote, canonical (ordered by idempotency key, then posting order; no
    generated ids): entries and postings, the period's totals, its events, escrow, every balance.

    ``interleaved``: the close ran with several workers, so ``balance_after`` of accounts that
    several shards credit (creators, the platform) follows the order the workers' batches
    committed in; those are left out, and every account's chain of ``balance_after`` is checked
    instead. Fails unless the trial balance is zero.
    """
    after = "" if interleaved else ", p.balance_after"
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT e.idempotency_key, e.kind, e.currency, e.reference, e.period, "
                f"       p.account_id, p.currency, p.amount{after} "
                "FROM journal_entries e JOIN postings p ON p.entry_id = e.id "
                "WHERE e.kind <> 'opening_balance' ORDER BY e.idempotency_key, p.id"
            )
        ).all()
        close = conn.execute(
            text(
                "SELECT status, patrons_settled, total_spent, total_commission, total_escrow, last_patron_id "
                "FROM close_periods WHERE period = :p"
            ),
            {"p": period},
        ).one()
        events = conn.execute(
            text(
                "SELECT event_type, key, payload::jsonb FROM outbox WHERE event_type LIKE 'settlement.%' "
                "OR event_type LIKE 'ledger.%'"
            )
        ).all()
        escrow = conn.execute(
            text("SELECT thing_id, patron_id, amount, status FROM close_escrow_contributions ORDER BY 1, 2")
        ).all()
        balances = conn.execute(
            text("SELECT account_id, balance, posting_count FROM ledger_balances ORDER BY account_id")
        ).all()
        broken_chains = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT p.balance_after, sum(b.normal_sign * p.amount) "
                "OVER (PARTITION BY p.account_id ORDER BY p.id) AS running "
                "FROM postings p JOIN ledger_balances b ON b.account_id = p.account_id) x "
                "WHERE balance_after <> running"
            )
        ).scalar_one()
        trial = conn.execute(text("SELECT sum(normal_sign * balance) FROM ledger_balances")).scalar_one()
        posted_sum = conn.execute(text("SELECT coalesce(sum(amount), 0) FROM postings")).scalar_one()
    engine.dispose()
    assert trial == 0 and posted_sum == 0, "trial balance must be zero"
    assert broken_chains == 0, "every posting's balance_after is its account's running balance"
    return [
        *(tuple(r) for r in rows),
        tuple(close),
        *sorted(_event(t, k, p, interleaved=interleaved) for t, k, p in events),
        *map(tuple, escrow),
        *map(tuple, balances),
    ]
