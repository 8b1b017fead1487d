"""Accounts: whether the patron may click (suspended by an operator or deleted by the holder, from wallet events).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 04:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("suspended", sa.Boolean(), server_default=sa.text("false"), nullable=False))


def downgrade() -> None:
    op.drop_column("accounts", "suspended")
