"""A relay that stops leading gives the lead up: its advisory lock ends with the session that took it.

Real PostgreSQL and Kafka. A relay leads while it holds a session-level advisory lock, taken on a
connection of its engine's pool. Handed back to the pool with the lock still held, that idle
connection kept every other relay of the database standing by, and a later relay on the same pool
led only when the pool happened to hand it that very connection (likely why a module's relay in
the settlement tests, on an engine every module shares, once left its test waiting 60 s).
"""

from __future__ import annotations

from tests.support.backbone import Side, commit_events, running
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, unique_prefix, wait_until

# Advisory locks held in this (fresh) database by any session: only a relay takes one here.
ADVISORY_LOCKS = """
    SELECT count(*) FROM pg_locks
     WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


async def test_a_relay_that_stops_leaves_the_lead_to_the_next_one_on_the_same_pool(sides) -> None:  # type: ignore[no-untyped-def]
    producer, _, _ = sides
    prefix = unique_prefix("lead")
    first = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="first")
    async with running(first.run):
        await commit_events(producer, 0, 1)
        await wait_until(lambda: _published(first, 1))
        assert await producer.scalar(ADVISORY_LOCKS) == 1  # the lead, held while it runs
    await wait_until(lambda: _no_lead_held(producer))  # the server ends the session as it closes

    second = OutboxRelay(producer.engine, bootstrap=KAFKA, topic_prefix=prefix, name="second")
    async with running(second.run):
        await commit_events(producer, 1, 1)
        await wait_until(lambda: _published(second, 1))
    await wait_until(lambda: _no_lead_held(producer))


async def _published(relay: OutboxRelay, n: int) -> bool:
    return relay.published == n


async def _no_lead_held(side: Side) -> bool:
    return await side.scalar(ADVISORY_LOCKS) == 0
