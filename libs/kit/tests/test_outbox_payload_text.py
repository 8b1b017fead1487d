"""Outbox payloads are stored as the JSON text written (no ``jsonb`` parse); an older outbox is migrated to it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine, create_engine, text

from trickle_kit.db import KitBase, sync_url
from trickle_kit.migrations import (
    outbox_payload_as_jsonb,
    outbox_payload_as_text,
    outbox_statistics_default,
    outbox_statistics_sampled,
)
from trickle_kit.testing import drop_database, fresh_database, worker_suffix

PAYLOAD = {"account_id": "acct_1", "display_name": "Zoë «quoted»", "amount": {"amount": 12, "currency": "EUR"}}


@pytest.fixture
def engine() -> Iterator[Engine]:
    name = f"test_kit_outbox_payload_{worker_suffix()}"
    url = fresh_database(name)
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            KitBase.metadata.create_all(conn)
        yield engine
    finally:
        engine.dispose()
        drop_database(name)


def _scalar(engine: Engine, sql: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text(sql)).scalar_one())


def _payload_type(engine: Engine) -> str:
    return _scalar(
        engine,
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'outbox' AND column_name = 'payload'",
    )


def _migrate(engine: Engine, step: Callable[[], None]) -> None:
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        step()


def _compression(engine: Engine) -> str:
    return _scalar(
        engine, "SELECT attcompression FROM pg_attribute WHERE attrelid = 'outbox'::regclass AND attname = 'payload'"
    )


def _stored(engine: Engine) -> object:
    with engine.connect() as conn:
        return conn.execute(text("SELECT payload FROM outbox WHERE event_id = 'evt_1'")).scalar_one()


def test_the_models_store_text_and_an_older_jsonb_outbox_is_migrated_both_ways(engine: Engine) -> None:
    assert _payload_type(engine) == "text"  # what a service's first migration creates now
    _migrate(engine, outbox_payload_as_text)  # nothing to do there
    assert _payload_type(engine) == "text"

    # An outbox as the kit's tables were before (jsonb), with an event staged in it.
    _migrate(engine, outbox_payload_as_jsonb)
    assert _payload_type(engine) == "jsonb"
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION lz4"))  # as settlement's 0006
        conn.execute(
            text(
                "INSERT INTO outbox (event_id, topic, event_type, source, schema_version, payload) "
                "VALUES ('evt_1', 'wallet', 'wallet.account.created', 'wallet', 1, CAST(:p AS jsonb))"
            ),
            {"p": json.dumps(PAYLOAD)},
        )
        conn.execute(
            text(
                "INSERT INTO outbox (event_id, topic, event_type, source, schema_version, payload) "
                "VALUES ('evt_big', 'wallet', 'wallet.account.created', 'wallet', 1, CAST(:p AS jsonb))"
            ),
            {"p": json.dumps({"lines": ["a compressible line of a large payload"] * 400})},
        )
    _migrate(engine, outbox_payload_as_text)
    assert _payload_type(engine) == "text"
    stored = _stored(engine)
    assert isinstance(stored, str) and json.loads(stored) == PAYLOAD
    assert _compression(engine) == "l"  # kept through the type change...
    with engine.connect() as conn:  # ...and the rewritten values compressed with it
        method = conn.execute(text("SELECT pg_column_compression(payload) FROM outbox WHERE event_id = 'evt_big'"))
        assert method.scalar_one() == "lz4"

    _migrate(engine, outbox_payload_as_jsonb)
    assert _payload_type(engine) == "jsonb"
    assert _stored(engine) == PAYLOAD


def _analyzed_sample(engine: Engine) -> int:
    """How many rows ANALYZE of the outbox sampled (from its VERBOSE report)."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.notices.clear()
        with raw.cursor() as cursor:
            cursor.execute("ANALYZE VERBOSE outbox")
        raw.commit()
        found = [n for n in driver.notices if "rows in sample" in n]
        return int(found[-1].split(" rows in sample")[0].rsplit(";", 1)[1])
    finally:
        raw.close()


def test_the_outbox_analyze_samples_3000_rows_and_skips_payloads_once_migrated(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE outbox SET (autovacuum_enabled = off)"))  # only the test's ANALYZEs
        conn.execute(text("ALTER TABLE outbox ADD COLUMN gone text"))
        conn.execute(text("ALTER TABLE outbox DROP COLUMN gone"))  # a dropped column is left alone
        conn.execute(
            text(
                "INSERT INTO outbox (event_id, topic, event_type, source, schema_version, payload)"
                " SELECT 'evt_' || i, 't', 'e', 's', 1, repeat('x', 300) FROM generate_series(1, 5000) i"
            )
        )
    assert _analyzed_sample(engine) == 5000  # the server's default target samples up to 30,000 rows
    _migrate(engine, outbox_statistics_sampled)
    targets = _targets(engine)
    assert targets.pop("payload") == 0 and set(targets.values()) == {10}
    assert _analyzed_sample(engine) == 3000  # (statistics gathered before, payload's too, are kept)
    _migrate(engine, outbox_statistics_default)
    assert set(_targets(engine).values()) == {-1}
    assert _analyzed_sample(engine) == 5000


def _targets(engine: Engine) -> dict[str, int]:
    return dict(
        _rows(
            engine,
            "SELECT attname, attstattarget FROM pg_attribute"
            " WHERE attrelid = 'outbox'::regclass AND attnum > 0 AND NOT attisdropped",
        )
    )


def _rows(engine: Engine, sql: str) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [(str(a), int(b)) for a, b in conn.execute(text(sql))]
