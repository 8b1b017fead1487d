"""A fresh process migrating an empty database gets the sessions table, and the models agree with the migrations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from trickle_kit.db import sync_url
from trickle_kit.testing import PG_ADMIN, fresh_database, worker_suffix

SERVICE_DIR = Path(__file__).resolve().parents[1]


def test_alembic_upgrade_in_a_fresh_process_creates_the_sessions_table_and_matches_the_models() -> None:
    name = f"test_web_migrate_{worker_suffix()}_{os.getpid()}"
    url = fresh_database(name)
    env = {**os.environ, "TRICKLE_WEB_DATABASE_URL": url}
    try:
        for command in (["upgrade", "head"], ["check"]):  # `alembic check`: the models agree with the history
            done = subprocess.run(
                [sys.executable, "-m", "alembic", *command],
                cwd=SERVICE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stdout + done.stderr
        engine = create_engine(sync_url(url))
        with engine.connect() as conn:
            tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        engine.dispose()
        assert "web_sessions" in tables
    finally:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
