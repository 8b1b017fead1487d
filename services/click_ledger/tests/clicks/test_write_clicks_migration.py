"""Migration 0009 replaces ``write_clicks`` and its downgrade puts 0008's back: one function either way."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

import trickle_click_ledger
from trickle_kit.db import sync_url
from trickle_kit.migrations import alembic_config
from trickle_kit.testing import drop_database, fresh_database, worker_suffix

SERVICE_DIR = Path(trickle_click_ledger.__file__).resolve().parents[2]  # src/trickle_click_ledger/__init__.py


def results(url: str) -> list[str]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            query = text("SELECT pg_get_function_arguments(oid) FROM pg_proc WHERE proname = 'write_clicks'")
            return list(conn.execute(query).scalars())
    finally:
        engine.dispose()


def test_downgrade_to_0008_and_upgrade_again_leave_one_function_of_each_release() -> None:
    name = f"test_click_ledger_0009_{worker_suffix()}"
    url = fresh_database(name, SERVICE_DIR)
    try:
        config = alembic_config(SERVICE_DIR, url)
        [head] = results(url)
        assert head.endswith("p_answer_repeats boolean DEFAULT false")
        command.downgrade(config, "0008")
        [previous] = results(url)
        assert previous.endswith("p_occurred_at timestamp with time zone")
        command.upgrade(config, "head")
        assert results(url) == [head]
    finally:
        drop_database(name)
