"""A close's progress from counts kept as it goes, not from its clicks: the period's patrons
(``close_periods.patrons_total``, counted when its shards are cut: a close's clicks are frozen) and the
patrons each shard has walked (``close_shards.patrons_walked``, moved with its cursor in each batch).

Counting them from ``close_clicks`` took 5-10 s at 1M clicks, on every poll of the progress. A close
whose shards were cut before this revision has no total and keeps that count.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, or a constant default: instant on a live table.
    op.add_column("close_periods", sa.Column("patrons_total", sa.BigInteger(), nullable=True))
    op.add_column("close_shards", sa.Column("patrons_walked", sa.BigInteger(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_column("close_shards", "patrons_walked")
    op.drop_column("close_periods", "patrons_total")
