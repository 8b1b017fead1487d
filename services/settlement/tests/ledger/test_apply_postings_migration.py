"""Migration 0016 replaces the postings trigger's function and its downgrade puts 0015's back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

import trickle_settlement
from trickle_kit.db import sync_url
from trickle_kit.migrations import alembic_config
from trickle_kit.testing import drop_database, fresh_database, worker_suffix

SERVICE_DIR = Path(trickle_settlement.__file__).resolve().parents[2]  # src/trickle_settlement/__init__.py


def body(url: str) -> str:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            query = text("SELECT prosrc FROM pg_proc WHERE proname = 'ledger_apply_postings'")
            return str(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


def test_downgrade_to_0015_and_upgrade_again() -> None:
    name = f"test_settlement_0016_{worker_suffix()}"
    url = fresh_database(name, SERVICE_DIR)
    try:
        config = alembic_config(SERVICE_DIR, url)
        head = body(url)
        assert "in_its_currency" in head and "LEFT JOIN ledger_accounts" in head
        command.downgrade(config, "0015")
        previous = body(url)
        assert "in_its_currency" not in previous and 'PARTITION BY p.account_id COLLATE "C"' in previous
        command.upgrade(config, "head")
        assert body(url) == head
    finally:
        drop_database(name)
