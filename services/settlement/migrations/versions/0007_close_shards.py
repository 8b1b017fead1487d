"""A shared close: a closing period's patrons cut into shards that workers lease, each with its cursor and totals.

A close started before this revision continues from the period's cursor: its shards cover the
patrons after ``close_periods.last_patron_id``, and the totals already on the period are kept.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "close_shards",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("after", sa.String(length=100), nullable=False),
        sa.Column("upto", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("last_patron_id", sa.String(length=100), nullable=False),
        sa.Column("patrons_settled", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("total_spent", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("total_commission", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("total_escrow", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_close_shards_status")),
        sa.PrimaryKeyConstraint("period", "shard", name=op.f("pk_close_shards")),
    )


def downgrade() -> None:
    op.drop_table("close_shards")
