"""Each service's migrations, run as `make migrate` runs them (`alembic upgrade head` in a fresh
process), create the kit's tables its code needs: outbox, inbox (processed_events), idempotency."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from trickle_kit.testing import PG_ADMIN, fresh_database

REPO = Path(__file__).resolve().parents[2]
ALEMBIC = Path(sys.executable).parent / "alembic"
KIT_TABLES = {"outbox", "processed_events", "idempotency_keys"}


# Regression guard: create_kit_tables() once relied on trickle_kit.tables being imported by
# someone else, so a fresh `alembic upgrade head` created no kit table for three services.
@pytest.mark.parametrize("service", ["wallet", "click_ledger", "settlement", "webhook"])
def test_alembic_upgrade_in_a_fresh_process_creates_the_kit_tables(service: str) -> None:
    name = f"e2e_migrate_{service}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    url = fresh_database(name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICKLE_")}
    env[f"TRICKLE_{service.upper()}_DATABASE_URL"] = url
    done = subprocess.run(
        [str(ALEMBIC), "upgrade", "head"], cwd=REPO / "services" / service, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    engine = create_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    try:
        with engine.connect() as conn:
            tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    finally:
        engine.dispose()
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    assert tables >= KIT_TABLES, f"{service}: missing {sorted(KIT_TABLES - tables)} after alembic upgrade head"


def test_two_migrators_of_one_database_at_once_both_succeed() -> None:
    """As two pods' init containers in a rollout: they take turns, the second finds nothing to do."""
    name = f"e2e_migrate_twice_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    url = fresh_database(name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICKLE_")}
    env["TRICKLE_WALLET_DATABASE_URL"] = url
    try:
        runs = [
            subprocess.Popen(
                [str(ALEMBIC), "upgrade", "head"],
                cwd=REPO / "services" / "wallet",
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        errors = [run.communicate(timeout=120)[1] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], [e[-1500:] for e in errors]
    finally:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
