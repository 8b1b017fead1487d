"""Accounts: operator suspension (with a reason) and deletion by the holder.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("suspended", sa.Boolean(), server_default="false", nullable=False))
    op.add_column("accounts", sa.Column("suspended_reason", sa.String(length=500), nullable=True))
    op.add_column("accounts", sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("accounts", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(op.f("ck_accounts_deleted_suspended"), "accounts", "deleted_at IS NULL OR suspended")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_accounts_deleted_suspended"), "accounts", type_="check")
    op.drop_column("accounts", "deleted_at")
    op.drop_column("accounts", "suspended_at")
    op.drop_column("accounts", "suspended_reason")
    op.drop_column("accounts", "suspended")
