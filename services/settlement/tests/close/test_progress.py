"""A close's progress for operators: patrons done out of the period's patrons, moving batch by batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.dialects.postgresql import insert
from trickle_settlement_testing.books import fund

from trickle_events.clicks import ClickRegistered
from trickle_kit.testing_auth import TokenFactory
from trickle_settlement.close import checkpoints
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.gate import start_close
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
