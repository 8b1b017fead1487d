"""Kafka event handlers of the settlement service: wallet requests become entries; clicks feed the close."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_events import EVENT_TYPES
from trickle_events.topics import CLICKS, WALLET
from trickle_events.wallet import (
    AccountCreated,
    AccountUpdated,
    BudgetUpdated,
    DepositSucceeded,
    PayoutFailed,
    PayoutPaid,
    PayoutRequested,
    RefundFailed,
    RefundPaid,
    RefundRequested,
    TransferRequested,
)
from trickle_kit.inbox import Handler, InboxConsumer, Received, registry_of
from trickle_kit.worker import Runnable
from trickle_settlement.close import gate
from trickle_settlement.close.runner import close_runner
from trickle_settlement.metrics.sampler import settlement_metrics
from trickle_settlement.money_flows.service import (
    record_deposit,
    release_payout,
    release_refund,
    request_transfer,
    reserve_payout,
    reserve_refund,
    settle_payout,
    settle_refund,
)
from trickle_settlement.projections import clicks, things
from trickle_settlement.projections.accounts import apply_account_state, apply_budget
from trickle_settlement.settings import Settings

E = TypeVar("E", bound=BaseModel)

WALLET_CONSUMER = "settlement.wallet"
CLICKS_CONSUMER = "settlement.clicks"


def _on(model: type[E], apply: Callable[[AsyncSession, E], Awaitable[object]]) -> Handler:
    """A handler that hands ``apply`` the parsed event of type ``model``."""

    async def handle(session: AsyncSession, received: Received) -> None:
        event = received.event
        assert isinstance(event, model)
        await apply(session, event)

    return handle


def wallet_handlers() -> dict[str, Handler]:
    """Money flows and read models fed by the wallet's events."""
    return {
        AccountCreated.event_type: _on(AccountCreated, apply_account_state),
        AccountUpdated.event_type: _on(AccountUpdated, apply_account_state),
        BudgetUpdated.event_type: _on(BudgetUpdated, apply_budget),
        DepositSucceeded.event_type: _on(DepositSucceeded, record_deposit),
        TransferRequested.event_type: _on(TransferRequested, request_transfer),
        PayoutRequested.event_type: _on(PayoutRequested, reserve_payout),
        PayoutPaid.event_type: _on(PayoutPaid, settle_payout),
        PayoutFailed.event_type: _on(PayoutFailed, release_payout),
        RefundRequested.event_type: _on(RefundRequested, reserve_refund),
        RefundPaid.event_type: _on(RefundPaid, settle_refund),
        RefundFailed.event_type: _on(RefundFailed, release_refund),
    }


def click_handlers() -> dict[str, Handler]:
    """The period close's handlers of click events (click projection, claims, seal markers)."""
    return {
        "clicks.click.registered": clicks.on_click_registered,
        "clicks.click.revoked": clicks.on_click_revoked,
        "clicks.thing.registered": things.on_thing_state,
        "clicks.thing.updated": things.on_thing_state,
        "clicks.thing.claimed": things.on_thing_claimed,
        "clicks.period.sealed": gate.on_period_sealed,
    }


def consumers(
    settings: Settings, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> Sequence[Runnable]:
    """The settlement's consumers: one per source topic, each with its own inbox name."""
    registry = registry_of(EVENT_TYPES)
    plan = [(WALLET_CONSUMER, WALLET, wallet_handlers()), (CLICKS_CONSUMER, CLICKS, click_handlers())]
    runnables: list[Runnable] = [
        InboxConsumer(
            name=name,
            topics=[topic],
            sessions=sessions,
            handlers=handlers,
            registry=registry,
            bootstrap=settings.kafka_bootstrap,
            topic_prefix=settings.topic_prefix,
        ).run
        for name, topic, handlers in plan
        if handlers
    ]
    # Runs the closes that seal markers or an operator started (and resumes interrupted ones).
    runnables.append(close_runner(settings, sessions))
    runnables.append(settlement_metrics(settings, sessions))  # the close's and the trial balance's gauges
    return runnables
