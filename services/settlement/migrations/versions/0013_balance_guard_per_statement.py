"""Direct updates of ``ledger_balances`` are refused once per statement, not checked per row.

The guard ran a PL/pgSQL row trigger for every balance the postings trigger moved: ~15,000 rows per
statement, ~360,000 in a period close of 100,000 patrons. What it refuses is unchanged:

- an ``UPDATE`` not issued by a trigger (depth < 2): now a statement trigger, the same error;
- a change of a balance's attributes (account, currency, sign, non-negative): now a row trigger
  only on updates that name one of those columns (the postings trigger names none of them);
- ``INSERT`` and ``DELETE`` stay per row as before, ``TRUNCATE`` per statement.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION ledger_guard_balance_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF pg_trigger_depth() < 2 THEN
                RAISE EXCEPTION 'ledger_balances is maintained by the postings trigger: UPDATE refused'
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute("DROP TRIGGER ledger_balances_guard ON ledger_balances")
    op.execute(
        "CREATE TRIGGER ledger_balances_guard BEFORE INSERT OR DELETE ON ledger_balances "
        "FOR EACH ROW EXECUTE FUNCTION ledger_guard_balance()"
    )
    op.execute(
        "CREATE TRIGGER ledger_balances_guard_update BEFORE UPDATE ON ledger_balances "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_guard_balance_update()"
    )
    op.execute(
        "CREATE TRIGGER ledger_balances_attributes BEFORE UPDATE OF account_id, currency, normal_sign, non_negative "
        "ON ledger_balances FOR EACH ROW EXECUTE FUNCTION ledger_guard_balance()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER ledger_balances_attributes ON ledger_balances")
    op.execute("DROP TRIGGER ledger_balances_guard_update ON ledger_balances")
    op.execute("DROP TRIGGER ledger_balances_guard ON ledger_balances")
    op.execute(
        "CREATE TRIGGER ledger_balances_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_balances "
        "FOR EACH ROW EXECUTE FUNCTION ledger_guard_balance()"
    )
    op.execute("DROP FUNCTION ledger_guard_balance_update()")
