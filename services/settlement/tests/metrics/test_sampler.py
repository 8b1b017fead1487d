"""The settlement's gauges: a close's progress, duration and last move, and the trial balance's difference."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from trickle_settlement_testing.books import fund

from trickle_events.clicks import ClickRegistered
from trickle_settlement.close import checkpoints
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.gate import start_close
from trickle_settlement.close.service import run_close
from trickle_settlement.ledger import chart
from trickle_settlement.metrics.sampler import SettlementSampler
from trickle_settlement.projections.clicks import on_click_registered
from trickle_settlement.projections.models import PatronBudget

T0 = datetime(2026, 11, 2, tzinfo=UTC)


class Interrupted(Exception):
    pass


def interrupt_after_first_batch(point: str) -> None:
    if point == "batch_committed":
        raise Interrupted(point)


def gauge(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def close_figures(period: str) -> tuple[float | None, ...]:
    """(in progress, patrons done, patrons total) of ``period``'s close."""
    return tuple(
        gauge(f"trickle_close_{name}", period=period) for name in ("in_progress", "patrons_done", "patrons_total")
    )


async def test_the_close_gauges_follow_a_close_batch_by_batch_to_its_end(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2035-07"
    for n, patron in enumerate(sorted(unique("acct") for _ in range(3))):
        await fund(sessions, patron, 10_000)
        async with sessions() as session, session.begin():
            await session.execute(
                insert(PatronBudget).values(account_id=patron, enabled=True, amount=500, currency="EUR", updated_at=T0)
            )
        await feed(
            on_click_registered,
            ClickRegistered(
                click_id=f"clk_{n:04d}{patron[-20:]}",
                patron_id=patron,
                thing_id=unique("thing"),
                owner_id=unique("acct"),
                weight=1,
                period=period,
                clicked_at=T0 + timedelta(minutes=n),
            ),
        )
    sampler = SettlementSampler(sessions)
    await sampler.sample()
    assert close_figures(period) == (None, None, None)  # not closing: not shown

    async with sessions() as session, session.begin():
        await start_close(session, period, "test")
    await sampler.sample()
    assert close_figures(period) == (1, 0, 3)
    started_moving = gauge("trickle_close_last_progress_timestamp_seconds", period=period)
    assert started_moving is not None and started_moving <= time.time()

    checkpoints.install(interrupt_after_first_batch)
    try:
        with pytest.raises(Interrupted):
            await run_close(sessions, period, CloseConfig(batch_patrons=1, shards=1))
    finally:
        checkpoints.install(None)
    await sampler.sample()
    assert close_figures(period) == (1, 1, 3)
    moved = gauge("trickle_close_last_progress_timestamp_seconds", period=period)
    assert moved is not None and moved > started_moving  # the batch moved it

    await run_close(sessions, period, CloseConfig(batch_patrons=1, shards=1))
    await sampler.sample()
    assert close_figures(period) == (0, 3, 3)
    duration = gauge("trickle_close_duration_seconds", period=period)
    assert duration is not None and duration > 0
    await sampler.sample()
    assert gauge("trickle_close_duration_seconds", period=period) == duration  # a closed close's is final


async def test_the_trial_balance_gauge_shows_a_ledger_that_does_not_balance(sessions, unique) -> None:  # type: ignore[no-untyped-def]
    patron = unique("acct")
    await fund(sessions, patron, 2_500)
    sampler = SettlementSampler(sessions)
    await sampler.sample()
    assert gauge("trickle_ledger_trial_balance_difference", currency="EUR") == 0
    wallet = chart.patron_wallet(patron, "EUR").id
    bump = text("UPDATE ledger_balances SET balance = balance + :by WHERE account_id = :id")
    # A balance changed behind the journal's back (the guarding trigger off for that transaction).
    unguarded = text("SET LOCAL session_replication_role = replica")
    async with sessions() as session, session.begin():
        await session.execute(unguarded)
        await session.execute(bump, {"by": 7, "id": wallet})
    try:
        await sampler.sample()
        assert gauge("trickle_ledger_trial_balance_difference", currency="EUR") in (7, -7)
    finally:
        async with sessions() as session, session.begin():
            await session.execute(unguarded)
            await session.execute(bump, {"by": -7, "id": wallet})
    await sampler.sample()
    assert gauge("trickle_ledger_trial_balance_difference", currency="EUR") == 0
