"""A fresh process migrating an empty database gets every table, the kit's included (what `make migrate` does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from trickle_kit.db import sync_url
from trickle_kit.testing import fresh_database, worker_suffix

SERVICE_DIR = Path(__file__).resolve().parents[1]


def test_alembic_upgrade_in_a_fresh_process_creates_every_table_and_matches_the_models() -> None:
    url = fresh_database(f"test_settlement_migrate_{worker_suffix()}")
    env = {**os.environ, "TRICKLE_SETTLEMENT_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=SERVICE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # And the models agree with the migrations (what `alembic check` in CI asks).
    checked = subprocess.run(
        [sys.executable, "-m", "alembic", "check"],
        cwd=SERVICE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    finally:
        engine.dispose()
    assert {"outbox", "processed_events", "idempotency_keys"} <= tables
    assert {"ledger_accounts", "ledger_balances", "journal_entries", "postings"} <= tables
    assert {"account_profiles", "patron_budgets"} <= tables
