"""Transactional outbox: ``outbox.add(session, event)`` writes the event with the caller's change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from trickle_kit.envelope import Publishable, utcnow
from trickle_kit.ids import new_id
from trickle_kit.tables import OutboxRecord

NOTIFY_CHANNEL = "trickle_outbox"


class Outbox:
    """The outbox of one service (``source`` names it in every CloudEvent)."""

    def __init__(self, source: str) -> None:
        self.source = source

    async def add(
        self,
        session: AsyncSession,
        event: Publishable,
        *,
        event_id: str | None = None,
        partition: int | None = None,
    ) -> str:
        """Stage ``event`` in the session's transaction; returns its CloudEvent id.

        Nothing is published unless the transaction commits. ``partition`` pins the
        record to one partition (seal markers); otherwise the event's key decides.
        """
        eid = event_id or new_id("evt")
        payload: dict[str, Any] = event.model_dump(mode="json")
        await session.execute(
            insert(OutboxRecord).values(
                event_id=eid,
                topic=event.topic,
                key=event.partition_key(),
                partition=partition,
                event_type=event.event_type,
                source=self.source,
                subject=event.subject(),
                schema_version=event.schema_version,
                payload=payload,
                occurred_at=utcnow(),
            )
        )
        # Wakes the relay when the transaction commits (identical notifications fold into one).
        await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")))
        return eid


async def pending_count(session: AsyncSession) -> int:
    """Events committed but not yet published (a readiness/metrics signal)."""
    result = await session.execute(
        select(func.count()).select_from(OutboxRecord).where(OutboxRecord.published_at.is_(None))
    )
    return int(result.scalar_one())
