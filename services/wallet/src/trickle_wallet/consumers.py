"""The wallet's background work: the ledger's answers (one InboxConsumer), deposit time-outs, payout and refund
hand-over, reconciliation of what the provider never called back about."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_events import EVENT_TYPES
from trickle_events.ledger import (
    EntryPosted,
    PayoutRejected,
    PayoutReserved,
    RefundRejected,
    RefundReserved,
    TransferCompleted,
    TransferRejected,
)
from trickle_events.topics import LEDGER
from trickle_kit.inbox import Handler, InboxConsumer, Received, registry_of
from trickle_kit.worker import Runnable
from trickle_wallet.balances import service as balances
from trickle_wallet.deposits import service as deposits
from trickle_wallet.mail import sender as mail
from trickle_wallet.payouts import service as payouts
from trickle_wallet.providers.base import PaymentProvider
from trickle_wallet.providers.registry import provider_from_settings
from trickle_wallet.reconciliation import service as reconciliation
from trickle_wallet.refunds import service as refunds
from trickle_wallet.settings import Settings
from trickle_wallet.transfers import service as transfers

log = structlog.get_logger("trickle.wallet.consumers")

LEDGER_CONSUMER = "wallet.ledger"


async def on_entry_posted(session: AsyncSession, received: Received) -> None:
    assert isinstance(received.event, EntryPosted)
    await balances.apply_entry(session, received.event)


async def on_transfer_completed(session: AsyncSession, received: Received) -> None:
    assert isinstance(received.event, TransferCompleted)
    await transfers.on_transfer_completed(session, received.event)


async def on_transfer_rejected(session: AsyncSession, received: Received) -> None:
    assert isinstance(received.event, TransferRejected)
    await transfers.on_transfer_rejected(session, received.event)


async def on_payout_reserved(session: AsyncSession, received: Received) -> None:
    assert isinstance(received.event, PayoutReserved)
    await payouts.on_payout_reserved(session, received.event)


async def on_payout_rejected(session: AsyncSession, received: Received) -> None:
    assert isinstance(received.event, PayoutRejected)
    await payouts.on_payout_rejected(session, received.event)


async def on_refund_reserved(session: AsyncSession, received: Received) -> None:
    assert isinstance(received.event, RefundReserved)
    await refunds.on_refund_reserved(session, received.event)


async def on_refund_rejected(session: AsyncSession, received: Received) -> None:
    assert isinstance(received.event, RefundRejected)
    await refunds.on_refund_rejected(session, received.event)


LEDGER_HANDLERS: dict[str, Handler] = {
    EntryPosted.event_type: on_entry_posted,
    TransferCompleted.event_type: on_transfer_completed,
    TransferRejected.event_type: on_transfer_rejected,
    PayoutReserved.event_type: on_payout_reserved,
    PayoutRejected.event_type: on_payout_rejected,
    RefundReserved.event_type: on_refund_reserved,
    RefundRejected.event_type: on_refund_rejected,
}


def ledger_consumer(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], *, group_id: str | None = None
) -> InboxConsumer:
    """The one consumer of the ``ledger`` topic: balances, transfer, payout and refund outcomes."""
    return InboxConsumer(
        name=LEDGER_CONSUMER,
        topics=[LEDGER],
        sessions=sessions,
        handlers=LEDGER_HANDLERS,
        registry=registry_of(EVENT_TYPES),
        bootstrap=settings.kafka_bootstrap,
        topic_prefix=settings.topic_prefix,
        group_id=group_id,
    )


def every(interval_s: float, work: Callable[[], Awaitable[int]], name: str) -> Runnable:
    """A loop that runs ``work`` until stopped, again at once while it finds work, else every ``interval_s``."""

    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            done = 0
            try:
                done = await work()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database away: try again next round
                log.warning("periodic_task_failed", task=name, error=repr(exc))
            if not done:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval_s)

    return run


def consumers(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    *,
    provider: PaymentProvider | None = None,
) -> Sequence[Runnable]:
    """The wallet worker's tasks (besides its outbox relay)."""
    payment_provider = provider or provider_from_settings(settings)
    return [
        ledger_consumer(settings, sessions).run,
        every(settings.deposit_sweep_interval_s, lambda: deposits.sweep_expired(sessions), "deposit_sweeper"),
        every(
            settings.payout_dispatch_interval_s,
            lambda: payouts.dispatch_reserved(sessions, payment_provider),
            "payout_dispatcher",
        ),
        every(
            settings.payout_dispatch_interval_s,
            lambda: refunds.FLOW.dispatch_reserved(sessions, payment_provider),
            "refund_dispatcher",
        ),
        reconciler(settings, sessions, payment_provider),
        mail_sender(settings, sessions),
    ]


def mail_sender(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Runnable:
    """Every ``mail_send_interval_s`` (at once again while there is more): send the queued mail that is due."""
    return every(settings.mail_send_interval_s, lambda: mail.send_due(sessions, settings), "mail_sender")


def reconciler(settings: Settings, sessions: async_sessionmaker[AsyncSession], provider: PaymentProvider) -> Runnable:
    """Every ``reconcile_interval_s``: finish overdue deposits and payouts from the provider's answer."""

    async def work() -> int:
        return (await reconciliation.reconcile(sessions, provider, settings)).finished

    return every(settings.reconcile_interval_s, work, "reconciler")
