"""A close's progress for operators: patrons done out of the period's patrons, moving batch by batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from trickle_settlement_testing.books import fund

from trickle_events.clicks import ClickRegistered
from trickle_kit.testing_auth import TokenFactory
from trickle_settlement.close import checkpoints
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.gate import start_close
from trickle_settlement.close.progress import CloseProgress, close_progress
from trickle_settlement.close.service import run_close
from trickle_settlement.projections.clicks import on_click_registered
from trickle_settlement.projections.models import PatronBudget

T0 = datetime(2026, 11, 2, tzinfo=UTC)


class Interrupted(Exception):
    pass


def interrupt_after_first_batch(point: str) -> None:
    if point == "batch_committed":
        raise Interrupted(point)


async def test_progress_counts_the_patrons_done_as_the_close_goes(client, sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    tf = TokenFactory()
    client._transport.app.state.verifier = tf.verifier()
    period = "2034-04"
    patrons = sorted(unique("acct") for _ in range(3))
    for n, patron in enumerate(patrons):
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

    async def progress() -> tuple[str, dict[str, int]]:
        answer = await client.get(f"/v1/periods/{period}", headers=tf.operator_headers())
        assert answer.status_code == 200, answer.text
        return answer.json()["status"], answer.json()["progress"]

    async with sessions() as session, session.begin():
        await start_close(session, period, "test")
    assert await progress() == ("closing", {"patrons_done": 0, "patrons_total": 3})

    checkpoints.install(interrupt_after_first_batch)
    try:
        with pytest.raises(Interrupted):
            await run_close(sessions, period, CloseConfig(batch_patrons=1, shards=1))
    finally:
        checkpoints.install(None)
    assert await progress() == ("closing", {"patrons_done": 1, "patrons_total": 3})

    await run_close(sessions, period, CloseConfig(batch_patrons=1, shards=1))
    assert await progress() == ("closed", {"patrons_done": 3, "patrons_total": 3})

    reader = await client.get(f"/v1/periods/{period}", headers=tf.headers("acct_reader", ["ledger:read"]))
    assert reader.status_code == 200 and reader.json()["progress"] is None


async def test_progress_of_a_sharded_close_reads_no_click(sessions, feed, unique) -> None:  # type: ignore[no-untyped-def]
    """Operators poll the progress (``trickle period close --follow`` twice a second, the metrics every
    15 s): counting the period's clicks took 5-10 s at 1M clicks, scan after scan while the close ran.
    Once the shards are cut it is the shards' counts; a close's clicks are frozen, so is its total."""
    period = "2034-05"
    patrons = sorted(unique("acct") for _ in range(3))
    for n, patron in enumerate(patrons):
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
    async with sessions() as session, session.begin():
        await start_close(session, period, "test")
    checkpoints.install(interrupt_after_first_batch)
    try:
        with pytest.raises(Interrupted):
            await run_close(sessions, period, CloseConfig(batch_patrons=1, shards=2))
    finally:
        checkpoints.install(None)

    # Reads of close_clicks in this transaction: its sequential scans, rows fetched, its indexes' scans.
    scans = text(
        "SELECT pg_stat_get_xact_numscans(t.oid) + pg_stat_get_xact_tuples_fetched(t.oid)"
        " + (SELECT coalesce(sum(pg_stat_get_xact_numscans(i.indexrelid)), 0) FROM pg_index i WHERE i.indrelid = t.oid)"
        " FROM pg_class t WHERE t.oid = CAST('close_clicks' AS regclass)"
    )
    async with sessions() as session, session.begin():
        before = await session.scalar(scans)
        progress = await close_progress(session, period, "closing")
        assert await session.scalar(scans) == before, "the progress read scanned the period's clicks"
    assert (progress.patrons_done, progress.patrons_total) == (1, 3)

    await run_close(sessions, period, CloseConfig(batch_patrons=1, shards=2))
    async with sessions() as session, session.begin():
        assert await close_progress(session, period, "closed") == CloseProgress(patrons_done=3, patrons_total=3)
