"""Sign-in: email + password credentials, email verification and password-reset tokens (hashed, single-use,
expiring), failed sign-in counters shared by the API replicas, and the outgoing mail queue.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("account_id", sa.String(length=40), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mail")),
    )
    op.create_index(op.f("ix_outgoing_mail_account_id"), "outgoing_mail", ["account_id"], unique=False)
    op.create_index(
        "ix_outgoing_mail_due",
        "outgoing_mail",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_attempts")),
    )
    op.create_table(
        "sign_in_credentials",
        sa.Column("account_id", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_sign_in_credentials_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_sign_in_credentials")),
        sa.UniqueConstraint("email_key", name=op.f("uq_sign_in_credentials_email_key")),
    )
    op.create_table(
        "sign_in_tokens",
        sa.Column("account_id", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('email_verification', 'password_reset')", name=op.f("ck_sign_in_tokens_purpose")
        ),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_sign_in_tokens_account_id_accounts")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sign_in_tokens")),
    )
    op.create_index(op.f("ix_sign_in_tokens_account_id"), "sign_in_tokens", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_tokens_account_id"), table_name="sign_in_tokens")
    op.drop_table("sign_in_tokens")
    op.drop_table("sign_in_credentials")
    op.drop_table("sign_in_attempts")
    op.drop_index("ix_outgoing_mail_due", table_name="outgoing_mail", postgresql_where=sa.text("sent_at IS NULL"))
    op.drop_index(op.f("ix_outgoing_mail_account_id"), table_name="outgoing_mail")
    op.drop_table("outgoing_mail")
