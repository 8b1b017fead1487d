"""A close starts by itself only when every partition's seal marker is in and the counts agree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from trickle_events.clicks import ClickRegistered, ClickRevoked, PeriodSealed, ThingUpdated
from trickle_settlement.close.gate import on_period_sealed
from trickle_settlement.close.models import PeriodClose
from trickle_settlement.projections.clicks import on_click_registered, on_click_revoked
from trickle_settlement.projections.models import ProjectedClick
from trickle_settlement.projections.things import on_thing_state

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def registered(period: str, patron: str, thing: str, click: str, weight: int = 1) -> ClickRegistered:
    return ClickRegistered(
        click_id=click,
        patron_id=patron,
        thing_id=thing,
        owner_id="acct_owner",
        weight=weight,
        period=period,
        clicked_at=NOW,
    )


def marker(period: str, partition: int, clicks: int, revoked: int = 0, partitions: int = 3) -> PeriodSealed:
    return PeriodSealed(
        period=period,
        partition=partition,
        partitions=partitions,
        click_count=clicks,
        revoked_count=revoked,
        sealed_at=NOW,
    )


async def status_of(sessions, period: str) -> PeriodClose:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        return (await session.execute(select(PeriodClose).where(PeriodClose.period == period))).scalar_one()


async def click_three_times(feed, unique, period: str) -> str:  # type: ignore[no-untyped-def]
    """Partition 0: two clicks, one revoked; partition 2: one click; partition 1: nothing."""
    first = unique("clk")
    await feed(on_click_registered, registered(period, "acct_a", unique("thing"), first), partition=0)
    await feed(on_click_registered, registered(period, "acct_a", unique("thing"), unique("clk")), partition=0)
    await feed(
        on_click_revoked,
        ClickRevoked(click_id=first, patron_id="acct_a", thing_id="t", owner_id=None, period=period, revoked_at=NOW),
        partition=0,
    )
    await feed(on_click_registered, registered(period, "acct_b", unique("thing"), unique("clk")), partition=2)
    return first


async def test_markers_from_every_partition_with_matching_counts_start_the_close(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2031-01"
    revoked = await click_three_times(feed, unique, period)
    await feed(on_period_sealed, marker(period, 0, 2, 1), partition=0)
    await feed(on_period_sealed, marker(period, 1, 0), partition=1)
    waiting = await status_of(sessions, period)
    assert waiting.status == "open"
    assert "partitions [2]" in (waiting.reason or "")

    await feed(on_period_sealed, marker(period, 2, 1), partition=2)
    started = await status_of(sessions, period)
    assert started.status == "closing" and started.started_by == "seal_markers" and started.reason is None
    async with sessions() as session:
        click = (await session.execute(select(ProjectedClick).where(ProjectedClick.click_id == revoked))).scalar_one()
    assert click.revoked_at is not None


async def test_a_missing_marker_keeps_the_period_open(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2031-02"
    await click_three_times(feed, unique, period)
    await feed(on_period_sealed, marker(period, 0, 2, 1), partition=0)
    await feed(on_period_sealed, marker(period, 2, 1), partition=2)
    row = await status_of(sessions, period)
    assert row.status == "open"
    assert row.reason == "waiting for seal markers from partitions [1] (have [0, 2] of 3)"


async def test_a_count_mismatch_keeps_it_open_until_the_missing_click_arrives(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2031-03"
    await click_three_times(feed, unique, period)
    await feed(on_period_sealed, marker(period, 0, 2, 1), partition=0)
    await feed(on_period_sealed, marker(period, 1, 0), partition=1)
    # Partition 2's marker counts two clicks; only one was projected.
    await feed(on_period_sealed, marker(period, 2, 2), partition=2)
    row = await status_of(sessions, period)
    assert row.status == "open"
    assert row.reason == "count mismatch: partition 2: marker 2 registered/0 revoked, projected 1/0"

    await feed(on_click_registered, registered(period, "acct_c", unique("thing"), unique("clk")), partition=2)
    assert (await status_of(sessions, period)).status == "closing"


async def test_a_marker_counting_fewer_clicks_than_projected_also_blocks(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period = "2031-04"
    await click_three_times(feed, unique, period)
    await feed(on_period_sealed, marker(period, 0, 2, 0), partition=0)  # the revocation is not counted
    await feed(on_period_sealed, marker(period, 1, 0), partition=1)
    await feed(on_period_sealed, marker(period, 2, 1), partition=2)
    row = await status_of(sessions, period)
    assert row.status == "open" and "partition 0" in (row.reason or "")


async def test_weight_changes_reach_open_clicks_but_not_a_closing_period(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    period, thing, click = "2031-05", unique("thing"), unique("clk")
    await feed(on_click_registered, registered(period, "acct_a", thing, click), partition=0)
    update = ThingUpdated(thing_id=thing, owner_id="acct_owner", url="https://x.example/", weight=4)
    await feed(on_thing_state, update, partition=1)

    async def weight() -> int:
        async with sessions() as session:
            return (
                await session.execute(select(ProjectedClick.weight).where(ProjectedClick.click_id == click))
            ).scalar_one()

    assert await weight() == 4
    for p in range(3):
        await feed(on_period_sealed, marker(period, p, 1 if p == 0 else 0), partition=p)
    assert (await status_of(sessions, period)).status == "closing"
    await feed(on_thing_state, update.model_copy(update={"weight": 9}), partition=1)
    assert await weight() == 4
