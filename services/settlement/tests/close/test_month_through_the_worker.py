"""A month end to end through the worker: deposit, budget, clicks, seal markers, the close, a claim; then
every consumed topic replayed from the start changes nothing."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select, text
from trickle_settlement_testing.pipeline import acct, balance, deposit, eur, ledger_event

from trickle_events import EVENT_TYPES
from trickle_events.clicks import ClickRegistered, PeriodSealed, ThingClaimed, ThingRegistered
from trickle_events.topics import CLICKS, PARTITIONS, SETTLEMENT, WALLET
from trickle_events.wallet import BudgetUpdated
from trickle_kit.ids import new_id
from trickle_kit.inbox import InboxConsumer, registry_of
from trickle_kit.kafka import make_consumer
from trickle_kit.testing import EVENTUAL_S, KAFKA, read_topic, wait_until
from trickle_settlement.consumers import CLICKS_CONSUMER, WALLET_CONSUMER, click_handlers, wallet_handlers
from trickle_settlement.ledger.models import JournalEntry


async def test_a_month_from_clicks_to_claimed_escrow_then_a_full_replay_posts_nothing_new(
    pipeline, sessions, topic_prefix
) -> None:  # type: ignore[no-untyped-def]
    """Both consumed topics end to end (deposit, budget, clicks, seal markers, close, claim), then replayed."""
    publish, prefix = pipeline["publish"], pipeline["prefix"]
    patron, creator, claimant = acct(), acct(), acct()
    period = "2001-02"  # a period of its own: no other test seals it
    clicked = datetime(2001, 2, 3, tzinfo=UTC)
    unclaimed, owned = new_id("thing"), new_id("thing")
    await publish(deposit(patron, 1000, 0))
    await publish(BudgetUpdated(account_id=patron, enabled=True, amount=eur(300), updated_at=datetime.now(UTC)))
    await ledger_event(prefix, "ledger.entry.posted", account_ids_concerned=[patron])
    await publish(ThingRegistered(thing_id=unclaimed, owner_id=None, url="https://example.org/a", weight=1))
    await publish(ThingRegistered(thing_id=owned, owner_id=creator, url="https://example.org/b", weight=2))
    per_partition: dict[int, int] = {}
    for thing, owner, weight in ((unclaimed, None, 1), (owned, creator, 2)):
        partition = await publish(
            ClickRegistered(
                click_id=new_id("clk"),
                patron_id=patron,
                thing_id=thing,
                owner_id=owner,
                weight=weight,
                period=period,
                clicked_at=clicked,
            ),
            want_partition=True,
        )
        per_partition[partition] = per_partition.get(partition, 0) + 1
    for partition in range(PARTITIONS):
        await publish(
            PeriodSealed(
                period=period,
                partition=partition,
                partitions=PARTITIONS,
                click_count=per_partition.get(partition, 0),
                sealed_at=datetime.now(UTC),
            ),
            partition=partition,
        )
    closed = await read_topic(
        prefix + SETTLEMENT,
        until=lambda evs: any(e.type == "settlement.period.closed" and e.data["period"] == period for e in evs),
        timeout_s=60,
    )
    settled = next(e for e in closed if e.type == "settlement.patron.settled" and e.data["patron_id"] == patron)
    assert settled.data["spent"] == {"amount": 300, "currency": "EUR"}
    # 300 split 1:2 → 100 to the unclaimed thing's escrow, 200 gross to the creator (10% commission).
    assert await balance(sessions, f"escrow:{unclaimed}") == 100
    assert await balance(sessions, f"creator_earnings:{creator}") == 180
    assert await balance(sessions, f"patron_wallet:{patron}") == 700

    await publish(
        ThingClaimed(thing_id=unclaimed, owner_id=claimant, domain="example.org", claimed_at=datetime.now(UTC))
    )

    async def escrow_moved() -> bool:
        return await balance(sessions, f"creator_earnings:{claimant}") == 90

    await wait_until(escrow_moved)
    assert await balance(sessions, f"escrow:{unclaimed}") == 0
    await replay_every_consumed_topic(sessions, topic_prefix)


async def replay_every_consumed_topic(sessions, topic_prefix: str) -> None:  # type: ignore[no-untyped-def]
    """Consume every topic the worker consumes again from offset 0 (new groups): nothing new may happen."""

    async def state() -> tuple[int, int, int, int]:
        async with sessions() as s:
            entries = (await s.execute(select(func.count()).select_from(JournalEntry))).scalar_one()
            postings = (await s.execute(text("SELECT count(*) FROM postings"))).scalar_one()
            outbox = (await s.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
            applied = (await s.execute(text("SELECT count(*) FROM processed_events"))).scalar_one()
        return entries, postings, outbox, applied

    before = await state()
    plan = [(WALLET_CONSUMER, WALLET, wallet_handlers()), (CLICKS_CONSUMER, CLICKS, click_handlers())]
    stop = asyncio.Event()
    replays, tasks, kafka_consumers = [], [], []
    for name, topic, handlers in plan:
        kafka_consumer = make_consumer(
            KAFKA, topic_prefix + topic, group_id=f"{topic_prefix}replay-{uuid.uuid4().hex[:6]}", client_id="replay"
        )
        replay = InboxConsumer(
            name=name,
            topics=[topic],
            sessions=sessions,
            handlers=handlers,
            registry=registry_of(EVENT_TYPES),
            bootstrap=KAFKA,
            topic_prefix=topic_prefix,
            consumer_factory=lambda c=kafka_consumer: c,
        )
        replays.append(replay)
        kafka_consumers.append((kafka_consumer, topic_prefix + topic))
        tasks.append(asyncio.create_task(replay.run(stop)))
    probe = AIOKafkaConsumer(bootstrap_servers=KAFKA)
    await probe.start()
    try:
        ends = {}
        for kafka_consumer, topic in kafka_consumers:
            partitions = [TopicPartition(topic, p) for p in range(PARTITIONS)]  # ensure_topics made them so
            for tp, end in (await probe.end_offsets(partitions)).items():
                ends[tp] = (kafka_consumer, end)

        async def caught_up() -> bool:
            for tp, (kafka_consumer, end) in ends.items():
                if end and (await kafka_consumer.committed(tp) or 0) < end:
                    return False
            return True

        await wait_until(caught_up, timeout_s=60)
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), EVENTUAL_S)
        await probe.stop()
    replayed = {tp.topic for tp, (_, end) in ends.items() if end}
    assert replayed == {topic_prefix + WALLET, topic_prefix + CLICKS}
    assert [r.applied for r in replays] == [0, 0]
    assert await state() == before
