"""The postings trigger groups a statement's postings by account in byte order.

Its ``balance_after`` check sorts the statement's postings by account (a window partitioned by
``account_id``). Under the database's collation (``C.UTF-8`` here, a libc locale) every comparison
went through ``strcoll`` with no abbreviated keys; the partition only needs equal ids together, so
it now sorts them with ``COLLATE "C"``, which compares bytes. A close batch's ~65,000 postings:
~0.22 s -> ~0.18 s for the check (0.14 -> 0.12 s with the COPY's larger ``work_mem``), with the
balance rows locked. What it refuses, and the message, are unchanged.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BODY = """
CREATE OR REPLACE FUNCTION ledger_apply_postings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT p.entry_id, e.id AS found INTO bad
      FROM (SELECT DISTINCT entry_id FROM new_postings) p LEFT JOIN journal_entries e ON e.id = p.entry_id
     WHERE e.id IS NULL OR e.created_xact <> txid_current()
     LIMIT 1;
    IF FOUND THEN
        IF bad.found IS NULL THEN
            RAISE EXCEPTION 'a posting names entry %, which does not exist', bad.entry_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RAISE EXCEPTION 'postings can only be added to entry % by the transaction that created it',
            bad.entry_id USING ERRCODE = 'restrict_violation';
    END IF;

    SELECT p.account_id, p.currency INTO bad
      FROM (SELECT DISTINCT account_id, currency FROM new_postings) p
      LEFT JOIN ledger_accounts a ON a.id = p.account_id AND a.currency = p.currency
     WHERE a.id IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a posting names account % in %, which the ledger has no account for',
            bad.account_id, bad.currency USING ERRCODE = 'foreign_key_violation';
    END IF;

    -- balance_after of each posting = the new balance minus what later postings of this
    -- statement moved on the same account. A data-modifying CTE always runs to completion,
    -- so every balance moves even though the check stops at the first mismatch.
    WITH moved AS (
        UPDATE ledger_balances b
           SET balance = b.balance + b.normal_sign * d.amount,
               posting_count = b.posting_count + d.n,
               updated_at = now()
          FROM (SELECT account_id, sum(amount) AS amount, count(*) AS n
                  FROM new_postings GROUP BY account_id) d
         WHERE b.account_id = d.account_id
        RETURNING b.account_id, b.balance, b.normal_sign
    )
    SELECT x.id, x.account_id, x.balance_after, x.expected INTO bad
      FROM (SELECT p.id, p.account_id, p.balance_after,
                   m.balance - m.normal_sign * (
                       sum(p.amount) OVER (PARTITION BY p.account_id COLLATE "C" ORDER BY p.id DESC) - p.amount
                   ) AS expected
              FROM new_postings p LEFT JOIN moved m ON m.account_id = p.account_id) x
     WHERE x.expected IS DISTINCT FROM x.balance_after
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'posting % on % says balance_after %, the ledger says %',
            bad.id, bad.account_id, bad.balance_after, bad.expected USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.execute(_BODY)


def downgrade() -> None:
    op.execute(_BODY.replace(' COLLATE "C"', ""))
