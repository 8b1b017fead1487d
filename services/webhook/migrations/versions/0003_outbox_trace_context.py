"""The outbox keeps each event's W3C trace context (traceparent, tracestate) for the relay to carry to Kafka.

Nullable columns, no default (instant on a live table); a database whose first migration already
created them (the kit's tables as they are now) is left as it is.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from trickle_kit.migrations import add_outbox_trace_context, drop_outbox_trace_context

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_trace_context()


def downgrade() -> None:
    drop_outbox_trace_context()
