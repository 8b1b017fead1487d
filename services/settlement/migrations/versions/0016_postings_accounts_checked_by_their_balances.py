"""The postings trigger finds a statement's accounts through the balance rows it updates.

``ledger_apply_postings`` looked every account of a statement up twice: once in ``ledger_accounts``
(does it exist in the posting's currency?) and once in ``ledger_balances`` (to move its balance).
A close batch names ~17,000 accounts, so the first look-up cost ~55 ms of every batch, with the
balance rows that other batches wait for locked. An account's balance row is opened with it, in its
currency, by ``ledger_open_balance``, and neither ever changes or goes (migration 0002's guards), so
the balance update answers the same question: a posting whose account the update did not find, or
found in another currency, names no account of the ledger. The trigger then names the first such
account with the former query (only when it refuses) and raises the same error.

The ``balance_after`` check computes the running sums on the postings alone and joins the moved
balances afterwards, so the sort carries the postings' columns only; its frame is ``ROWS`` (ids are
unique, so the sums are those of the former ``RANGE`` frame).

What it refuses is unchanged, and so is each message. What changes is which error a statement
with two faults gets: the balance update now runs before the accounts are known to exist, so a
statement that names an unknown account, or an account in another currency, and also overdraws
or overflows a balance (that account's own included, in the wrong currency) is refused for the
overdraft (``ck_ledger_balances_non_negative``) or the overflow, where it was refused for the
account (``foreign_key_violation``). Such a statement also locks the balance rows it names before
it fails. The posting code checks accounts in Python before it writes, so neither reaches it.

Measured with ``track_functions = 'pl'`` on copies of ``make bench-settlement``'s period: the
trigger's time over a close 5.8-6.3 s -> 5.3-5.5 s with one worker, 7.0-8.0 s -> 5.5-6.6 s with two
(docs/benchmarks.md).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

from trickle_kit.migrations import text_of_revision

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPLY_POSTINGS = """
CREATE OR REPLACE FUNCTION ledger_apply_postings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
    checked record;
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

    -- Every balance moves (a data-modifying CTE runs to completion), then: how many postings
    -- named an account the update found in their currency, and the first posting whose
    -- balance_after is not the new balance minus what later postings of this statement moved.
    WITH moved AS (
        UPDATE ledger_balances b
           SET balance = b.balance + b.normal_sign * d.amount,
               posting_count = b.posting_count + d.n,
               updated_at = now()
          FROM (SELECT account_id, min(currency) AS currency, max(currency) AS other_currency,
                       sum(amount) AS amount, count(*) AS n
                  FROM new_postings GROUP BY account_id) d
         WHERE b.account_id = d.account_id
        RETURNING b.account_id, b.balance, b.normal_sign, d.n,
                  b.currency = d.currency AND d.currency = d.other_currency AS in_its_currency
    ), mismatch AS (
        SELECT p.id, p.account_id, p.balance_after, m.balance - m.normal_sign * p.later AS expected
          FROM (SELECT id, account_id, balance_after,
                       sum(amount) OVER (PARTITION BY account_id COLLATE "C" ORDER BY id DESC
                                         ROWS UNBOUNDED PRECEDING) - amount AS later
                  FROM new_postings) p
          JOIN moved m ON m.account_id = p.account_id
         WHERE m.balance - m.normal_sign * p.later IS DISTINCT FROM p.balance_after
         LIMIT 1
    )
    SELECT (SELECT count(*) FROM new_postings) AS postings,
           (SELECT coalesce(sum(n), 0) FROM moved WHERE in_its_currency) AS found,
           x.id, x.account_id, x.balance_after, x.expected INTO checked
      FROM (SELECT) AS one LEFT JOIN mismatch x ON true;
    IF checked.found < checked.postings THEN
        SELECT p.account_id, p.currency INTO bad
          FROM (SELECT DISTINCT account_id, currency FROM new_postings) p
          LEFT JOIN ledger_accounts a ON a.id = p.account_id AND a.currency = p.currency
         WHERE a.id IS NULL
         ORDER BY p.account_id, p.currency
         LIMIT 1;
        RAISE EXCEPTION 'a posting names account % in %, which the ledger has no account for',
            bad.account_id, bad.currency USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF checked.id IS NOT NULL THEN
        RAISE EXCEPTION 'posting % on % says balance_after %, the ledger says %',
            checked.id, checked.account_id, checked.balance_after, checked.expected USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.execute(APPLY_POSTINGS)


def downgrade() -> None:
    op.execute(text_of_revision(__file__, "0015_postings_window_by_bytes.py", "_BODY"))
