"""Ownership needs proof: path-prefix claims, how a claim was verified, things remember their path and
the claim that owns them.

Existing data: a thing whose owner holds a verified claim on the thing's domain gets that
claim as its ``claim_id``. Every other owned thing keeps its owner (no money moves, no owner
changes silently) and shows ``claim_status: unproven``: the first verified claim covering it
takes it over, as it takes unclaimed things (docs/claims.md). Stored URLs are not
re-canonicalised here: changing a thing's URL could merge two things with clicks, which is
an operator's decision.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 03:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("path_prefix", sa.String(length=1024), server_default="", nullable=False))
    op.add_column("claims", sa.Column("verified_by", sa.String(length=12), nullable=True))
    op.execute("UPDATE claims SET verified_by = 'proof' WHERE status = 'verified'")
    op.create_check_constraint(op.f("ck_claims_verified_by"), "claims", "verified_by IN ('proof', 'operator')")
    op.drop_index("uq_claims_verified_domain", table_name="claims", postgresql_where=sa.text("status = 'verified'"))
    op.create_index(
        "uq_claims_verified_domain",
        "claims",
        ["domain", "path_prefix"],
        unique=True,
        postgresql_where=sa.text("status = 'verified'"),
    )
    op.add_column("things", sa.Column("path", sa.String(length=2048), nullable=True))
    op.add_column("things", sa.Column("claim_id", sa.String(length=64), nullable=True))
    op.execute("UPDATE things SET path = COALESCE(substring(url FROM '^[a-z]+://[^/?]+(/[^?]*)'), '/')")
    op.alter_column("things", "path", nullable=False)
    op.execute(
        "UPDATE things t SET claim_id = c.id FROM claims c "
        "WHERE c.domain = t.domain AND c.status = 'verified' AND c.account_id = t.owner_id"
    )
    op.create_check_constraint(op.f("ck_things_claim_has_owner"), "things", "claim_id IS NULL OR owner_id IS NOT NULL")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_things_claim_has_owner"), "things", type_="check")
    op.drop_column("things", "claim_id")
    op.drop_column("things", "path")
    op.drop_index("uq_claims_verified_domain", table_name="claims", postgresql_where=sa.text("status = 'verified'"))
    op.execute("DELETE FROM claims WHERE path_prefix <> ''")
    op.create_index(
        "uq_claims_verified_domain", "claims", ["domain"], unique=True, postgresql_where=sa.text("status = 'verified'")
    )
    op.drop_column("claims", "path_prefix")
    op.drop_constraint(op.f("ck_claims_verified_by"), "claims", type_="check")
    op.drop_column("claims", "verified_by")
