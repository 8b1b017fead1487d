"""Kafka event handlers of the click-ledger service, and the worker's other tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import structlog
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_click_ledger.models import Account
from trickle_click_ledger.seal.scheduler import PeriodScheduler
from trickle_click_ledger.settings import Settings
from trickle_events import EVENT_TYPES
from trickle_events.topics import CLICKS, WALLET
from trickle_events.wallet import AccountCreated, AccountDeleted, AccountState, AccountUpdated
from trickle_kit.envelope import utcnow
from trickle_kit.inbox import InboxConsumer, Received, registry_of
from trickle_kit.kafka import ensure_topics
from trickle_kit.worker import Runnable

ACCOUNTS_CONSUMER = "click-ledger.accounts"
log = structlog.get_logger("trickle.click_ledger.worker")


async def apply_account(session: AsyncSession, received: Received) -> None:
    """Keep the patron's privacy choice (public or private giving) and whether they may click (not suspended,
    not deleted: a deleted account arrives suspended and private)."""
    event = received.event
    assert isinstance(event, AccountState)
    suspended = event.suspended or event.deleted
    stmt = insert(Account).values(
        id=event.account_id, giving_public=event.giving_public, suspended=suspended, updated_at=utcnow()
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Account.id],
            set_={
                "giving_public": stmt.excluded.giving_public,
                "suspended": stmt.excluded.suspended,
                "updated_at": utcnow(),
            },
        )
    )


def accounts_consumer(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> InboxConsumer:
    return InboxConsumer(
        name=ACCOUNTS_CONSUMER,
        topics=[WALLET],
        sessions=sessions,
        handlers={
            AccountCreated.event_type: apply_account,
            AccountUpdated.event_type: apply_account,
            AccountDeleted.event_type: apply_account,
        },
        registry=registry_of(EVENT_TYPES),
        bootstrap=settings.kafka_bootstrap,
        topic_prefix=settings.topic_prefix,
    )


def scheduler(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> PeriodScheduler:
    return PeriodScheduler(
        sessions,
        partitions=settings.click_partitions,
        batch_size=settings.subscription_batch_size,
        interval_s=settings.scheduler_interval_s,
    )


def click_topic_check(settings: Settings) -> Runnable:
    """Create the click topic with ``click_partitions`` partitions if missing; shout if it has another count.

    Seal markers are exact only if the partitions the click-ledger computes are the topic's.
    """

    async def run(stop: asyncio.Event) -> None:
        topic = settings.topic(CLICKS)
        try:
            await ensure_topics(settings.kafka_bootstrap, [topic], settings.click_partitions)
            admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
            await admin.start()
            try:
                described = await admin.describe_topics([topic])
            finally:
                await admin.close()
            actual = len(described[0]["partitions"]) if described else None
            if actual != settings.click_partitions:
                log.error(
                    "click_topic_partitions_mismatch", topic=topic, actual=actual, setting=settings.click_partitions
                )
        except Exception as exc:  # Kafka away at start: the relay retries on its own
            log.warning("click_topic_check_failed", topic=topic, error=repr(exc))

    return run


def consumers(
    settings: Settings, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> Sequence[Runnable]:
    """The click-ledger's worker tasks: the accounts projection and the period scheduler."""
    return [
        click_topic_check(settings),
        accounts_consumer(settings, sessions).run,
        scheduler(settings, sessions).run,
    ]
