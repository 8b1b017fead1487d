"""Outbox payloads compressed with lz4 instead of pglz in this database.

A period close stages ~200,000 events of 1.5–3.5 kB (every posting and every share is in
them); compressing those with pglz cost the database about as much as inserting the postings.
lz4 compresses them about twice as fast. Storage only: no column, constraint or value changes.
A server built without lz4 keeps pglz.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        DO $$
        BEGIN
            ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION lz4;
        EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
            RAISE NOTICE 'lz4 not available: outbox payloads stay pglz-compressed';
        END $$
        """
    )


def downgrade() -> None:
    op.execute("ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION default")
