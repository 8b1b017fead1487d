"""``write_clicks``: a batch of clicks and their ``clicks.click.registered`` events in one statement.

The click batcher's group commit took five round trips a batch (BEGIN, the calendar lock, the
insert, the outbox, COMMIT) and a pool checkout, each round trip a send, a wake-up and a parse on
both sides. As one function call, run on its own (an implicit transaction), a batch is one round trip.

The function keeps the order of ``clicks/writer.py``: the calendar lock, shared, first; then the
insert, in a statement of its own, so that its snapshot is taken after the lock is held (a
VOLATILE PL/pgSQL function takes a fresh snapshot for each statement in READ COMMITTED); then
each inserted click's event into the outbox in the clicks' order, its payload the JSON text
``trickle_kit.envelope.payload_text`` writes for ``ClickRegistered`` (``tests/clicks/test_write_clicks.py``
compares them byte for byte; for ids outside ASCII, which the service never generates, the text
would differ in escaping only: ``to_json`` writes UTF-8 where Python writes ``\\u`` escapes); then
the relay's notification. Under another isolation level than READ COMMITTED it refuses to run.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# trickle_click_ledger.periods.lock.CALENDAR_LOCK and trickle_kit.outbox.NOTIFY_CHANNEL
# (tests/clicks/test_write_clicks.py checks both against this text).
CALENDAR_LOCK = 0x436C6B50
NOTIFY_CHANNEL = "trickle_outbox"

WRITE_CLICKS = f"""
CREATE FUNCTION write_clicks(
    p_ids text[], p_patrons text[], p_things text[], p_partitions smallint[], p_created timestamptz[],
    p_subscriptions text[], p_event_ids text[], p_traceparents text[], p_tracestates text[],
    p_topic text, p_event_type text, p_source text, p_schema_version integer, p_occurred_at timestamptz
) RETURNS TABLE (
    id varchar, patron_id varchar, thing_id varchar, period varchar, "partition" smallint, owner_id varchar,
    weight smallint, public boolean, subscription_id varchar, created_at timestamptz, revoked_at timestamptz
)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'write_clicks needs READ COMMITTED (a snapshot per statement), not %',
            current_setting('transaction_isolation');
    END IF;
    PERFORM pg_advisory_xact_lock_shared({CALENDAR_LOCK});
    RETURN QUERY
    WITH inserted AS (
        INSERT INTO clicks (id, patron_id, thing_id, period, partition, owner_id, weight, public,
                            subscription_id, created_at)
        SELECT r.id, r.patron_id, t.id, p.id, r.partition, t.owner_id, t.weight, coalesce(a.giving_public, false),
               r.subscription_id, r.created_at
          FROM unnest(p_ids, p_patrons, p_things, p_partitions, p_created, p_subscriptions) WITH ORDINALITY
               AS r(id, patron_id, thing_id, partition, created_at, subscription_id, ord)
          JOIN things t ON t.id = r.thing_id AND t.owner_id IS DISTINCT FROM r.patron_id
          JOIN periods p ON p.state = 'open'
          LEFT JOIN accounts a ON a.id = r.patron_id
         WHERE a.suspended IS NOT TRUE
         ORDER BY r.ord
        ON CONFLICT (patron_id, thing_id, period) WHERE revoked_at IS NULL DO NOTHING
        RETURNING clicks.id, clicks.patron_id, clicks.thing_id, clicks.period, clicks.partition, clicks.owner_id,
                  clicks.weight, clicks.public, clicks.subscription_id, clicks.created_at, clicks.revoked_at
    ), staged AS (
        INSERT INTO outbox (event_id, topic, key, partition, event_type, source, subject, schema_version, payload,
                            occurred_at, traceparent, tracestate)
        SELECT e.event_id, p_topic, i.patron_id, i.partition, p_event_type, p_source, i.id, p_schema_version,
               '{{"click_id":' || to_json(i.id)::text
               || ',"patron_id":' || to_json(i.patron_id)::text
               || ',"thing_id":' || to_json(i.thing_id)::text
               || ',"owner_id":' || coalesce(to_json(i.owner_id)::text, 'null')
               || ',"weight":' || i.weight
               || ',"period":' || to_json(i.period)::text
               || ',"clicked_at":"' || to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
               || CASE WHEN extract(microseconds FROM i.created_at)::integer % 1000000 = 0 THEN ''
                       ELSE to_char(i.created_at AT TIME ZONE 'UTC', '.US') END
               || 'Z","public":' || CASE WHEN i.public THEN 'true' ELSE 'false' END
               || ',"subscription_id":' || coalesce(to_json(i.subscription_id)::text, 'null') || '}}',
               p_occurred_at, e.traceparent, e.tracestate
          FROM inserted i
          JOIN unnest(p_ids, p_event_ids, p_traceparents, p_tracestates) WITH ORDINALITY
               AS e(click_id, event_id, traceparent, tracestate, ord) ON e.click_id = i.id
         ORDER BY e.ord
    )
    SELECT i.* FROM inserted i
      JOIN unnest(p_ids) WITH ORDINALITY AS o(click_id, ord) ON o.click_id = i.id
     ORDER BY o.ord;
    IF FOUND THEN
        PERFORM pg_notify('{NOTIFY_CHANNEL}', '');
    END IF;
END
$fn$
"""


def upgrade() -> None:
    op.execute(WRITE_CLICKS)


def downgrade() -> None:
    op.execute("DROP FUNCTION write_clicks")
