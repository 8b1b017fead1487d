"""Kafka event handlers of the webhook service: route every public event to the endpoints that want it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_events import ALL_TOPICS, EVENT_TYPES, Event
from trickle_kit.inbox import Handler, InboxConsumer, Received
from trickle_kit.worker import Runnable
from trickle_webhook.delivery.dispatcher import DeliveryWorker
from trickle_webhook.event_types.catalogue import offered_event_types
from trickle_webhook.messages.service import flush_routed, route_event
from trickle_webhook.metrics.sampler import webhook_metrics
from trickle_webhook.settings import Settings

CONSUMER_NAME = "webhook-router"


def routing_handler(settings: Settings) -> Handler:
    async def handle(session: AsyncSession, received: Received) -> None:
        assert isinstance(received.event, Event)
        await route_event(session, received.event, received.envelope, settings.max_payload_bytes)

    return handle


def router_consumer(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> InboxConsumer:
    """Consumes every public topic; each offered event becomes one message per interested endpoint.

    The messages of a whole batch are inserted at once at its end (``flush_routed``).
    """
    handle = routing_handler(settings)
    return InboxConsumer(
        name=CONSUMER_NAME,
        topics=list(ALL_TOPICS),
        sessions=sessions,
        handlers=dict.fromkeys(offered_event_types(), handle),
        registry=EVENT_TYPES,
        bootstrap=settings.kafka_bootstrap,
        topic_prefix=settings.topic_prefix,
        on_batch_end=flush_routed,
    )


def consumers(
    settings: Settings, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> Sequence[Runnable]:
    """The router and, unless turned off, the delivery loop."""
    runnables: list[Runnable] = [router_consumer(settings, sessions).run]
    if settings.deliver:
        runnables.append(DeliveryWorker(settings, engine, sessions).run)
    runnables.append(webhook_metrics(settings, sessions))  # the endpoints' health gauges
    return runnables
