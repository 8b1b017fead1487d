"""The operator reads of the kit's tables: the outbox backlog and its age, the inbox's dead letters."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.envelope import utcnow
from trickle_kit.operations import queries
from trickle_kit.tables import OutboxRecord, ProcessedEvent


def _event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


async def test_the_backlog_counts_unpublished_events_and_ages_the_oldest(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        # Published rows of earlier tests would not count; unpublished ones would: measure from here.
        await session.execute(update(OutboxRecord).values(published_at=func.now()))
        assert await queries.outbox_status(session) == queries.OutboxStatus(0, None, None)
        old, new = _event_id(), _event_id()
        for event_id, age_s in ((old, 120), (new, 0)):
            await session.execute(
                insert(OutboxRecord).values(
                    event_id=event_id,
                    topic="kit-test",
                    event_type="kit.test.noted",
                    source="trickle/kit-test",
                    schema_version=1,
                    payload={},
                    occurred_at=utcnow() - timedelta(seconds=age_s),
                )
            )
        status = await queries.outbox_status(session)
        assert status.pending == 2
        assert status.oldest_age_s is not None and 120 <= status.oldest_age_s < 3600
        await session.execute(update(OutboxRecord).where(OutboxRecord.event_id == old).values(published_at=func.now()))
        after = await queries.outbox_status(session)
        assert after.pending == 1 and after.oldest_age_s is not None and after.oldest_age_s < 120


async def test_dead_letters_are_counted_paged_and_only_the_dead_are_forgotten(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    consumer = f"kit-test-{uuid.uuid4().hex[:8]}"
    dead = sorted(_event_id() for _ in range(3))
    applied = _event_id()
    async with sessions() as session, session.begin():
        before = await queries.dead_letter_count(session)
        for event_id in dead:
            await session.execute(
                insert(ProcessedEvent).values(consumer=consumer, event_id=event_id, outcome="dead", error="boom")
            )
        await session.execute(insert(ProcessedEvent).values(consumer=consumer, event_id=applied))
        assert await queries.dead_letter_count(session) == before + 3

        mine: list[str] = []
        cursor: str | None = None
        while True:
            rows, has_more = await queries.dead_letters(session, starting_after=cursor, limit=2)
            mine += [r.event_id for r in rows if r.consumer == consumer]
            if not has_more:
                break
            cursor = rows[-1].event_id
        assert mine == dead
        assert [r.error for r in await queries.dead_letters_of(session, dead[0])] == ["boom"]

        assert await queries.forget_dead_letters(session, applied, [consumer]) == 0
        assert await queries.applied_by(session, applied) == [consumer]
        assert await queries.forget_dead_letters(session, dead[0], [consumer]) == 1
        assert await queries.dead_letters_of(session, dead[0]) == []
        left = await session.scalar(
            select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.consumer == consumer)
        )
        assert left == 3


async def test_an_event_dead_for_two_consumers_is_listed_whole_across_pages(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The cursor is an event id: a page ending between two consumers' rows of one event must not
    make the next page (``event_id > cursor``) skip the second."""
    consumers = sorted(f"kit-test-{uuid.uuid4().hex[:8]}" for _ in range(2))
    event_id = _event_id()
    async with sessions() as session, session.begin():
        for consumer in consumers:
            await session.execute(
                insert(ProcessedEvent).values(consumer=consumer, event_id=event_id, outcome="dead", error="boom")
            )
        listed: list[tuple[str, str]] = []
        cursor: str | None = None
        while True:
            rows, has_more = await queries.dead_letters(session, starting_after=cursor, limit=1)
            listed += [(r.event_id, r.consumer) for r in rows]
            if not has_more:
                break
            cursor = rows[-1].event_id
        assert [c for e, c in listed if e == event_id] == consumers
