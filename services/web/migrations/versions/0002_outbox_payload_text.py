"""The outbox stores each payload as the JSON text its writer encoded (``text``), not as ``jsonb``.

Payloads are written from validated events and read back only to be sent to Kafka as they are;
parsing them into ``jsonb`` and printing them again cost the database most of what staging an
event costs (a period close stages ~550 MB of them). See ``trickle_kit.json_text``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from trickle_kit.migrations import outbox_payload_as_jsonb, outbox_payload_as_text

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    outbox_payload_as_text()


def downgrade() -> None:
    outbox_payload_as_jsonb()
