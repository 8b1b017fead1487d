"""The double-entry ledger (accounts, entries, postings, balances) with its invariants in PostgreSQL,
and the account/budget read models fed by wallet events.

Invariants enforced here, whatever code (or psql session) writes:
- an entry's postings sum to zero per currency and there are at least two
  (deferred constraint trigger on journal_entries, checked at commit; postings may only be
  added by the transaction that created their entry, so that check sees all of them);
- user liability balances never go negative (ledger_balances CHECK; balances are written
  only by the postings trigger, which also checks each posting's balance_after);
- accounts, entries and postings are append-only (UPDATE/DELETE/TRUNCATE refused);
- idempotency keys are unique.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:05:34.815252
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


USER_LIABILITY_KINDS = "('patron_wallet', 'creator_earnings', 'escrow', 'payouts_in_transit')"

INVARIANTS = [
    # --- append-only tables -------------------------------------------------------------
    """
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger table % is append-only: % refused (correct with a reversing entry)',
            TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
    END $$
    """,
    *[
        stmt
        for table in ("ledger_accounts", "journal_entries", "postings")
        for stmt in (
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
        )
    ],
    # --- every ledger account gets its balance row, with the sign rules of its type ------
    f"""
    CREATE FUNCTION ledger_open_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO ledger_balances (account_id, currency, normal_sign, non_negative)
        VALUES (NEW.id, NEW.currency,
                CASE WHEN NEW.type IN ('asset', 'expense') THEN 1 ELSE -1 END,
                NEW.kind IN {USER_LIABILITY_KINDS});
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER ledger_accounts_open_balance AFTER INSERT ON ledger_accounts "
    "FOR EACH ROW EXECUTE FUNCTION ledger_open_balance()",
    # Balances are derived data: only the triggers (depth >= 2) may write them.
    """
    CREATE FUNCTION ledger_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE') OR pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'ledger_balances is maintained by the postings trigger: % refused', TG_OP
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.account_id, NEW.currency, NEW.normal_sign, NEW.non_negative)
                IS DISTINCT FROM (OLD.account_id, OLD.currency, OLD.normal_sign, OLD.non_negative) THEN
            RAISE EXCEPTION 'the attributes of a ledger balance never change' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER ledger_balances_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_balances "
    "FOR EACH ROW EXECUTE FUNCTION ledger_guard_balance()",
    "CREATE TRIGGER ledger_balances_no_truncate BEFORE TRUNCATE ON ledger_balances "
    "FOR EACH STATEMENT EXECUTE FUNCTION ledger_guard_balance()",
    # --- entries remember the transaction that created them ------------------------------
    """
    CREATE FUNCTION ledger_stamp_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.created_xact := txid_current();
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER journal_entries_stamp BEFORE INSERT ON journal_entries "
    "FOR EACH ROW EXECUTE FUNCTION ledger_stamp_entry()",
    # --- postings move balances, once per statement (set-based, cheap for bulk posting) ---
    """
    CREATE FUNCTION ledger_apply_postings() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        bad record;
    BEGIN
        SELECT p.entry_id INTO bad
          FROM new_postings p JOIN journal_entries e ON e.id = p.entry_id
         WHERE e.created_xact <> txid_current()
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'postings can only be added to entry % by the transaction that created it',
                bad.entry_id USING ERRCODE = 'restrict_violation';
        END IF;

        UPDATE ledger_balances b
           SET balance = b.balance + b.normal_sign * d.amount,
               posting_count = b.posting_count + d.n,
               updated_at = now()
          FROM (SELECT account_id, sum(amount) AS amount, count(*) AS n
                  FROM new_postings GROUP BY account_id) d
         WHERE b.account_id = d.account_id;

        -- balance_after of each posting = the new balance minus what later postings of this
        -- statement moved on the same account.
        SELECT x.id, x.account_id, x.balance_after, x.expected INTO bad
          FROM (SELECT p.id, p.account_id, p.balance_after,
                       b.balance - b.normal_sign * (
                           sum(p.amount) OVER (PARTITION BY p.account_id ORDER BY p.id DESC) - p.amount
                       ) AS expected
                  FROM new_postings p
                  -- One index lookup per posting (OFFSET 0 keeps the lateral from being flattened):
                  -- a plain join let the planner scan every balance row against the whole
                  -- transition table, quadratic for a bulk insert.
                  CROSS JOIN LATERAL (SELECT lb.balance, lb.normal_sign FROM ledger_balances lb
                                       WHERE lb.account_id = p.account_id OFFSET 0) b) x
         WHERE x.balance_after <> x.expected
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'posting % on % says balance_after %, the ledger says %',
                bad.id, bad.account_id, bad.balance_after, bad.expected USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER postings_apply AFTER INSERT ON postings REFERENCING NEW TABLE AS new_postings "
    "FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_postings()",
    # --- an entry balances, checked at commit ---------------------------------------------
    """
    CREATE FUNCTION ledger_check_entry() RETURNS trigger LANGUAGE plpgsql AS $$
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
    """,
    "CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry()",
]

DROP_INVARIANTS = [
    "DROP TRIGGER IF EXISTS journal_entries_balanced ON journal_entries",
    "DROP TRIGGER IF EXISTS postings_apply ON postings",
    "DROP TRIGGER IF EXISTS journal_entries_stamp ON journal_entries",
    "DROP TRIGGER IF EXISTS ledger_balances_guard ON ledger_balances",
    "DROP TRIGGER IF EXISTS ledger_balances_no_truncate ON ledger_balances",
    "DROP TRIGGER IF EXISTS ledger_accounts_open_balance ON ledger_accounts",
    *[
        f"DROP TRIGGER IF EXISTS {table}_{suffix} ON {table}"
        for table in ("ledger_accounts", "journal_entries", "postings")
        for suffix in ("no_update_delete", "no_truncate")
    ],
    "DROP FUNCTION IF EXISTS ledger_check_entry()",
    "DROP FUNCTION IF EXISTS ledger_apply_postings()",
    "DROP FUNCTION IF EXISTS ledger_stamp_entry()",
    "DROP FUNCTION IF EXISTS ledger_guard_balance()",
    "DROP FUNCTION IF EXISTS ledger_open_balance()",
    "DROP FUNCTION IF EXISTS ledger_refuse_change()",
]


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "account_profiles",
        sa.Column("account_id", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("non_profit", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("commission_bps", sa.Integer(), server_default="1000", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("commission_bps BETWEEN 0 AND 10000", name=op.f("ck_account_profiles_commission_bps")),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_profiles")),
    )
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_xact", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_journal_entries_idempotency_key")),
        sa.UniqueConstraint("seq", name=op.f("uq_journal_entries_seq")),
    )
    op.create_index("ix_journal_entries_kind_seq", "journal_entries", ["kind", "seq"], unique=False)
    op.create_index(op.f("ix_journal_entries_period"), "journal_entries", ["period"], unique=False)
    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.String(length=100), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_ledger_accounts_currency")),
        sa.CheckConstraint(
            "type IN ('asset', 'liability', 'revenue', 'expense')", name=op.f("ck_ledger_accounts_type")
        ),
        sa.CheckConstraint(
            "kind IN ('patron_wallet', 'creator_earnings', 'escrow', 'payouts_in_transit', 'platform_commission', "
            "'provider_clearing', 'provider_fees')",
            name=op.f("ck_ledger_accounts_kind"),
        ),
        sa.CheckConstraint(
            f"kind NOT IN {USER_LIABILITY_KINDS} OR type = 'liability'",
            name=op.f("ck_ledger_accounts_user_liability_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint("id", "currency", name="uq_ledger_accounts_id_currency"),
    )
    op.create_index(op.f("ix_ledger_accounts_owner_id"), "ledger_accounts", ["owner_id"], unique=False)
    op.create_table(
        "patron_budgets",
        sa.Column("account_id", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_per_click", sa.BigInteger(), nullable=True),
        sa.Column("max_per_month", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_patron_budgets_amount")),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_patron_budgets")),
    )
    op.create_table(
        "ledger_balances",
        sa.Column("account_id", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("normal_sign", sa.SmallInteger(), nullable=False),
        sa.Column("non_negative", sa.Boolean(), nullable=False),
        sa.Column("balance", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("posting_count", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("NOT non_negative OR balance >= 0", name=op.f("ck_ledger_balances_non_negative")),
        sa.CheckConstraint("normal_sign IN (-1, 1)", name=op.f("ck_ledger_balances_normal_sign")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_accounts.id"], name=op.f("fk_ledger_balances_account_id_ledger_accounts")
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_ledger_balances")),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_postings_amount_nonzero")),
        sa.ForeignKeyConstraint(
            ["account_id", "currency"],
            ["ledger_accounts.id", "ledger_accounts.currency"],
            name="fk_postings_account_currency",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entries.id"], name=op.f("fk_postings_entry_id_journal_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postings")),
    )
    op.create_index("ix_postings_account_id_id", "postings", ["account_id", "id"], unique=False)
    op.create_index(op.f("ix_postings_entry_id"), "postings", ["entry_id"], unique=False)
    # ### end Alembic commands ###
    for statement in INVARIANTS:
        op.execute(statement)


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    for statement in DROP_INVARIANTS:
        op.execute(statement)
    op.drop_index(op.f("ix_postings_entry_id"), table_name="postings")
    op.drop_index("ix_postings_account_id_id", table_name="postings")
    op.drop_table("postings")
    op.drop_table("ledger_balances")
    op.drop_table("patron_budgets")
    op.drop_index(op.f("ix_ledger_accounts_owner_id"), table_name="ledger_accounts")
    op.drop_table("ledger_accounts")
    op.drop_index(op.f("ix_journal_entries_period"), table_name="journal_entries")
    op.drop_index("ix_journal_entries_kind_seq", table_name="journal_entries")
    op.drop_table("journal_entries")
    op.drop_table("account_profiles")
    # ### end Alembic commands ###
