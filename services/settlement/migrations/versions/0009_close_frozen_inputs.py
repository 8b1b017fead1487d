"""A close settles with the inputs of its start: the budgets of a period's patrons and the commission terms
of its recipients, copied when its close starts (``close_budgets``, ``close_commission_terms``), and when
that was done (``close_periods.inputs_frozen_at``).

A close started before this revision (no ``inputs_frozen_at``) freezes them at its next run, under the
period's row lock, before any further batch: its patrons still to settle get the values of that moment.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "close_budgets",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("account_id", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_per_click", sa.BigInteger(), nullable=True),
        sa.Column("max_per_month", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("period", "account_id", name=op.f("pk_close_budgets")),
    )
    op.create_table(
        "close_commission_terms",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("account_id", sa.String(length=100), nullable=False),
        sa.Column("non_profit", sa.Boolean(), nullable=False),
        sa.Column("commission_bps", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period", "account_id", name=op.f("pk_close_commission_terms")),
    )
    # Nullable, no default: instant on a live table.
    op.add_column("close_periods", sa.Column("inputs_frozen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("close_periods", "inputs_frozen_at")
    op.drop_table("close_commission_terms")
    op.drop_table("close_budgets")
