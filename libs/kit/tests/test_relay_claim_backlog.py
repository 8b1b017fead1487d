"""A relay's claim reads one batch of a backlog, not the backlog: draining it stays linear after an outage."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from trickle_kit.db import KitBase, sync_url
from trickle_kit.relay import _CLAIM
from trickle_kit.testing import fresh_database, worker_suffix

BACKLOG = 20_000
BATCH = 500


def test_a_claim_behind_a_backlog_reads_about_one_batch_of_it() -> None:
    """Kafka was down: 20,000 rows wait. One claim of 500 must not visit the other 19,500 (as an
    ``id IN (subquery)`` semi-join did: 72 s per claim behind 100,000 rows)."""
    engine = create_engine(sync_url(fresh_database(f"test_kit_relay_claim_{worker_suffix()}")))
    KitBase.metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO outbox (event_id, topic, key, event_type, source, subject, schema_version, payload) "
                    "SELECT 'evt_' || g, 't', 'k' || (g % 7), 'kit.test', 'kit', NULL, 1, '{}' "
                    "FROM generate_series(1, :n) AS g"
                ),
                {"n": BACKLOG},
            )
        for analyzed in (False, True):  # as the backlog forms (no statistics yet), and once analyzed
            if analyzed:
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("ANALYZE outbox"))
            with engine.connect() as conn:
                statement = _CLAIM.replace("$1", "0").replace("$2", str(BATCH))
                plan = conn.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")).scalar_one()
                conn.rollback()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            visited = _rows_read_from(plan[0]["Plan"], "outbox")
            assert 0 < visited <= 3 * BATCH, f"one claim of {BATCH} read {visited} outbox rows (analyzed: {analyzed})"
    finally:
        engine.dispose()


def _rows_read_from(node: dict, relation: str) -> int:  # type: ignore[type-arg]
    """Rows the plan's scans of ``relation`` returned, summed over their loops (and rows they filtered out)."""
    own = 0
    if node.get("Relation Name") == relation:
        own = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
    return own + sum(_rows_read_from(child, relation) for child in node.get("Plans", []))
