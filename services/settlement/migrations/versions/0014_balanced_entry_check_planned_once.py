"""The deferred balanced-entry check is planned once per session, and reads an entry's postings once.

``ledger_check_entry`` runs at commit for every entry of the transaction: 5,000 times for a close
batch. PostgreSQL chose custom plans for its two queries, so each call planned them again, reading
(and decompressing) the statistics of ``postings.entry_id`` each time: more than half of the
check's CPU, and 0.3–0.5 s of every close batch's commit while the batch holds the balance rows
that other batches wait for. Now the function forces generic plans (the query is an index look-up
by ``entry_id`` whatever the id), and one query counts the postings and finds an unbalanced
currency; the second query runs only to name the unbalanced currency in the error. What it refuses,
and the messages, are unchanged.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHECK_ONCE = """
CREATE OR REPLACE FUNCTION ledger_check_entry() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    n bigint;
    off_balance bigint;
    unbalanced record;
BEGIN
    SELECT coalesce(sum(lines), 0), count(*) FILTER (WHERE total <> 0) INTO n, off_balance
      FROM (SELECT count(*) AS lines, sum(amount) AS total
              FROM postings WHERE entry_id = NEW.id GROUP BY currency) per_currency;
    IF n < 2 THEN
        RAISE EXCEPTION 'journal entry % has % posting(s); at least 2 are required', NEW.id, n
            USING ERRCODE = 'check_violation';
    END IF;
    IF off_balance > 0 THEN
        SELECT currency, sum(amount) AS total INTO unbalanced
          FROM postings WHERE entry_id = NEW.id
         GROUP BY currency HAVING sum(amount) <> 0
         ORDER BY currency
         LIMIT 1;
        RAISE EXCEPTION 'journal entry % does not balance: postings in % sum to %',
            NEW.id, unbalanced.currency, unbalanced.total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$
"""

_CHECK_TWICE = """
CREATE OR REPLACE FUNCTION ledger_check_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    unbalanced record;
BEGIN
    SELECT count(*) INTO n FROM postings WHERE entry_id = NEW.id;
    IF n < 2 THEN
        RAISE EXCEPTION 'journal entry % has % posting(s); at least 2 are required', NEW.id, n
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT currency, sum(amount) AS total INTO unbalanced
      FROM postings WHERE entry_id = NEW.id
     GROUP BY currency HAVING sum(amount) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance: postings in % sum to %',
            NEW.id, unbalanced.currency, unbalanced.total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    # CREATE OR REPLACE keeps the function's oid: the constraint trigger goes on calling it.
    op.execute(_CHECK_ONCE)


def downgrade() -> None:
    op.execute(_CHECK_TWICE)
