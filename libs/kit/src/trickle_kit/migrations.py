"""Alembic helpers: one history per service, run with a sync driver so tests can call them anywhere."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, engine_from_config, pool, text

# The kit's tables register on KitBase.metadata when their module is imported: without this,
# a fresh `alembic` process created none of them and `alembic check` wanted them dropped.
import trickle_kit.tables  # noqa: F401
from trickle_kit.db import KitBase, sync_url

# Held for the migration's transaction: two migrators of one database (two pods' init
# containers in a rollout) run one after the other; the second then finds nothing to do.
MIGRATION_LOCK = 0x4D696772  # "Migr"


def alembic_config(service_dir: Path, database_url: str) -> Config:
    cfg = Config(str(service_dir / "alembic.ini"))
    cfg.set_main_option("script_location", str(service_dir / "migrations"))
    cfg.set_main_option("sqlalchemy.url", sync_url(database_url))
    return cfg


def text_of_revision(migration_file: str, revision_file: str, name: str) -> str:
    """The string ``name`` as the revision in ``revision_file`` (beside ``migration_file``, a migration's
    ``__file__``) defines it: a downgrade puts back an earlier revision's SQL without copying it."""
    path = Path(migration_file).with_name(revision_file)
    spec = importlib.util.spec_from_file_location(f"revision_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(getattr(module, name))


def upgrade(service_dir: Path, database_url: str, revision: str = "head") -> None:
    """Migrate a service's database to ``revision``."""
    command.upgrade(alembic_config(service_dir, database_url), revision)


def run_env(metadata: MetaData, default_url: str) -> None:
    """Body of a service's ``migrations/env.py``: online migrations against its metadata plus the kit's tables."""
    from alembic import context

    config = context.config
    url = config.get_main_option("sqlalchemy.url") or sync_url(default_url)
    if "+asyncpg" in url:
        url = sync_url(url)
    targets = [metadata, KitBase.metadata]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=targets, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=targets, compare_type=True)
        with context.begin_transaction():
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            context.run_migrations()


def create_kit_tables() -> None:
    """For a service's first migration: the outbox, inbox and idempotency tables."""
    from alembic import op

    KitBase.metadata.create_all(op.get_bind())


def add_outbox_trace_context() -> None:
    """For the migration that gives an existing outbox the trace context columns (``trickle_kit.tracing``).

    A database created after them already has them (the first migration creates the kit's tables
    as they are now), hence ``IF NOT EXISTS``. Nullable, no default: instant on a live table.
    """
    from alembic import op

    op.execute("ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent VARCHAR(128)")
    op.execute("ALTER TABLE outbox ADD COLUMN IF NOT EXISTS tracestate TEXT")


def drop_outbox_trace_context() -> None:
    """The downgrade of ``add_outbox_trace_context``."""
    from alembic import op

    op.execute("ALTER TABLE outbox DROP COLUMN IF EXISTS tracestate")
    op.execute("ALTER TABLE outbox DROP COLUMN IF EXISTS traceparent")


# A type change resets the column's compression method: the one set before (settlement's lz4) is set
# again in the same statement, so the rewritten values are compressed with it (set afterwards, it
# would apply only to new values, after the rewrite had recompressed every row with the default).
_OUTBOX_PAYLOAD_TYPE = """
DO $$
DECLARE
    compression "char";
BEGIN
    IF (SELECT data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'outbox' AND column_name = 'payload') = '{old}' THEN
        SELECT attcompression INTO compression FROM pg_attribute
         WHERE attrelid = 'outbox'::regclass AND attname = 'payload';
        EXECUTE 'ALTER TABLE outbox ALTER COLUMN payload TYPE {new} USING payload::{new}'
            || CASE compression
                   WHEN 'l' THEN ', ALTER COLUMN payload SET COMPRESSION lz4'
                   WHEN 'p' THEN ', ALTER COLUMN payload SET COMPRESSION pglz'
                   ELSE ''
               END;
    END IF;
END $$
"""


# ANALYZE samples 300 rows per unit of the largest statistics target of a table's columns: 30,000 rows
# at the default of 100. An outbox is appended to, read by id and by whether published, never by its
# payload: an autoanalyze of the click-ledger's outbox (~110,000 rows) took 260 ms of a core, mostly
# sorting payloads and event ids for statistics nobody plans with; at 10 (3,000 rows), payload 0,
# 20 ms (docs/benchmarks.md, "clicks, thirteenth session"). Statistics gathered before stay (the
# payload's too, unused and harmless). A column added later has the default target and brings the
# 30,000-row sample back: set it to 10 in the migration that adds it.
_OUTBOX_STATISTICS = """
DO $$
DECLARE
    col name;
BEGIN
    FOR col IN SELECT attname FROM pg_attribute
                WHERE attrelid = 'outbox'::regclass AND attnum > 0 AND NOT attisdropped LOOP
        EXECUTE format('ALTER TABLE outbox ALTER COLUMN %I SET STATISTICS %s', col,
                       CASE WHEN col = 'payload' THEN {payload} ELSE {others} END);
    END LOOP;
END $$
"""


def outbox_statistics_sampled() -> None:
    """For the migration that makes the outbox's ANALYZE sample 3,000 rows and skip the payloads."""
    from alembic import op

    op.execute(_OUTBOX_STATISTICS.format(payload=0, others=10))


def outbox_statistics_default() -> None:
    """The downgrade of ``outbox_statistics_sampled``: every column back to the server's default target."""
    from alembic import op

    op.execute(_OUTBOX_STATISTICS.format(payload=-1, others=-1))


def outbox_payload_as_text() -> None:
    """For the migration that stores an existing outbox's payloads as text instead of ``jsonb``
    (``trickle_kit.json_text``).

    A database created after the change already has text (the first migration creates the kit's
    tables as they are now) and is left as it is. The type change rewrites the table under an
    exclusive lock, and an outbox keeps every event it staged: on a large one, run it while the
    service is stopped.
    """
    from alembic import op

    op.execute(_OUTBOX_PAYLOAD_TYPE.format(old="jsonb", new="text"))


def outbox_payload_as_jsonb() -> None:
    """The downgrade of ``outbox_payload_as_text``."""
    from alembic import op

    op.execute(_OUTBOX_PAYLOAD_TYPE.format(old="text", new="jsonb"))
