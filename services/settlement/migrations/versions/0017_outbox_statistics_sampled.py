"""The outbox's ANALYZE samples 3,000 rows and skips the payloads (``trickle_kit.migrations``).

An autoanalyze of an outbox sampled 30,000 rows and sorted their payloads and event ids for
statistics no query plans with: ~260 ms of a core on the click-ledger's outbox under load, a stall
of every click on a busy two-core host (docs/benchmarks.md, "clicks, thirteenth session").

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from trickle_kit.migrations import outbox_statistics_default, outbox_statistics_sampled

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    outbox_statistics_sampled()


def downgrade() -> None:
    outbox_statistics_default()
