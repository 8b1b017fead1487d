"""``write_clicks`` also answers repeats: the live click each repeated click of the batch repeats.

A repeat click (a patron clicking a thing they already clicked this period: a double click, a
client retrying after a timeout) was left out of the batch's answer, and its request took the
one-click path: an ORM session, a transaction and five statements to find the click it repeats.
Under a burst of repeats the API's CPU per answer rose two to four times. Now, when the insert
left some of the batch's clicks out, a second statement returns, for each of them that the
insert's own rules admit (a known thing the patron does not own, a patron not suspended, an open
period), the live click it repeats, marked ``created = false``, with the id it was requested
under (``request_id``). It runs in a statement of its own, so its snapshot sees this batch's
inserts and any committed meanwhile: a click repeated within one batch answers the batch's own
click. Refusals (unknown or own thing, suspended patron, no open period) are still not returned:
the one-click path finds out why, as before. The calendar lock, taken first, is held until the
transaction ends, so the period cannot be sealed between the two statements. The relay is
notified only when something was inserted.

Repeats are answered only when the caller asks (``p_answer_repeats``, a new last argument,
false by default): API processes of the previous release, still running while a deployment
rolls out after this migration, call the function with 0008's arguments and read 0008's columns
by name, and so get exactly 0008's answer (``tests/clicks/test_write_clicks.py``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

from trickle_kit.migrations import text_of_revision

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# trickle_click_ledger.periods.lock.CALENDAR_LOCK and trickle_kit.outbox.NOTIFY_CHANNEL
# (tests/clicks/test_write_clicks.py checks both against the installed function).
CALENDAR_LOCK = 0x436C6B50
NOTIFY_CHANNEL = "trickle_outbox"

ARGUMENTS = """
    p_ids text[], p_patrons text[], p_things text[], p_partitions smallint[], p_created timestamptz[],
    p_subscriptions text[], p_event_ids text[], p_traceparents text[], p_tracestates text[],
    p_topic text, p_event_type text, p_source text, p_schema_version integer, p_occurred_at timestamptz,
    p_answer_repeats boolean DEFAULT false
"""
PREVIOUS_SIGNATURE = (
    "text[], text[], text[], smallint[], timestamptz[], text[], text[], text[], text[], text, text, text, integer,"
    " timestamptz"
)
SIGNATURE = PREVIOUS_SIGNATURE + ", boolean"

WRITE_CLICKS = f"""
CREATE FUNCTION write_clicks({ARGUMENTS}) RETURNS TABLE (
    id varchar, patron_id varchar, thing_id varchar, period varchar, "partition" smallint, owner_id varchar,
    weight smallint, public boolean, subscription_id varchar, created_at timestamptz, revoked_at timestamptz,
    created boolean, request_id varchar
)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
DECLARE
    v_inserted bigint;
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
    SELECT i.*, true, i.id FROM inserted i
      JOIN unnest(p_ids) WITH ORDINALITY AS o(click_id, ord) ON o.click_id = i.id
     ORDER BY o.ord;
    GET DIAGNOSTICS v_inserted = ROW_COUNT;
    IF v_inserted > 0 THEN
        PERFORM pg_notify('{NOTIFY_CHANNEL}', '');
    END IF;
    IF p_answer_repeats AND v_inserted < cardinality(p_ids) THEN
        -- The clicks the insert left out that its rules admit repeat a live click: answer that one.
        RETURN QUERY
        SELECT c.id, c.patron_id, c.thing_id, c.period, c.partition, c.owner_id, c.weight, c.public,
               c.subscription_id, c.created_at, c.revoked_at, false, r.id::varchar
          FROM unnest(p_ids, p_patrons, p_things) WITH ORDINALITY AS r(id, patron_id, thing_id, ord)
          JOIN things t ON t.id = r.thing_id AND t.owner_id IS DISTINCT FROM r.patron_id
          JOIN periods p ON p.state = 'open'
          LEFT JOIN accounts a ON a.id = r.patron_id
          JOIN clicks c ON c.patron_id = r.patron_id AND c.thing_id = r.thing_id AND c.period = p.id
                       AND c.revoked_at IS NULL
         WHERE a.suspended IS NOT TRUE AND c.id <> r.id
         ORDER BY r.ord;
    END IF;
END
$fn$
"""


def upgrade() -> None:
    op.execute(f"DROP FUNCTION write_clicks({PREVIOUS_SIGNATURE})")
    op.execute(WRITE_CLICKS)


def downgrade() -> None:
    op.execute(f"DROP FUNCTION write_clicks({SIGNATURE})")
    op.execute(text_of_revision(__file__, "0008_write_clicks_in_one_statement.py", "WRITE_CLICKS"))
