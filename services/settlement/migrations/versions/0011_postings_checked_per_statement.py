"""A posting's entry and account are checked once per statement by the postings trigger, not by two
foreign keys per row.

The two foreign keys of ``postings`` (``entry_id`` → ``journal_entries``, ``(account_id, currency)`` →
``ledger_accounts``) ran two lookups and row locks per posting as row triggers: 2.4 million for
a close of 1.2 million postings, 14 of its PostgreSQL's 57 CPU seconds. The statement trigger
already joined each statement's distinct entries to ``journal_entries``; it now also refuses an
entry that does not exist and an account that does not exist in the posting's currency, with one
join of the statement's distinct entries and one of its distinct (account, currency) pairs. Those
rows can never disappear later: accounts and entries refuse UPDATE, DELETE and TRUNCATE (0002), so
the foreign keys' other half (keeping a referenced row) had nothing left to guard.

What the database refuses is unchanged (SQLSTATE 23503, foreign_key_violation, for a missing
entry or account, as the foreign keys raised); only the messages name the rule instead of the
constraint.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

from trickle_kit.migrations import text_of_revision

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


APPLY_POSTINGS = """
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
                       sum(p.amount) OVER (PARTITION BY p.account_id ORDER BY p.id DESC) - p.amount
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
    op.execute(APPLY_POSTINGS)
    op.drop_constraint("fk_postings_entry_id_journal_entries", "postings", type_="foreignkey")
    op.drop_constraint("fk_postings_account_currency", "postings", type_="foreignkey")


def downgrade() -> None:
    op.create_foreign_key(
        "fk_postings_account_currency", "postings", "ledger_accounts", ["account_id", "currency"], ["id", "currency"]
    )
    op.create_foreign_key("fk_postings_entry_id_journal_entries", "postings", "journal_entries", ["entry_id"], ["id"])
    op.execute(text_of_revision(__file__, "0005_ledger_bulk_posting.py", "APPLY_POSTINGS"))  # as 0005 left it
