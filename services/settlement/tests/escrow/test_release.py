"""Releasing escrow moves and marks exactly the contributions it locked."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from trickle_settlement.escrow import service as escrow_module
from trickle_settlement.escrow.models import EscrowContribution
from trickle_settlement.escrow.service import release_escrow
from trickle_settlement.ledger import chart
from trickle_settlement.ledger.posting import Leg, NewEntry, post_entry


async def fund_escrow(sessions: Any, thing: str, patron: str, period: str, amount: int) -> None:
    """A patron's share held in the thing's escrow, as a close batch writes it."""
    async with sessions() as s, s.begin():
        await post_entry(
            s,
            NewEntry(
                idempotency_key=f"test-escrow:{thing}:{patron}:{period}",
                kind="settlement",
                currency="EUR",
                legs=[
                    Leg(chart.provider_clearing("sandbox", "EUR"), amount),
                    Leg(chart.escrow(thing, "EUR"), -amount),
                ],
            ),
        )
        s.add(EscrowContribution(thing_id=thing, period=period, patron_id=patron, amount=amount, currency="EUR"))


async def test_a_contribution_committed_during_the_release_stays_held(
    sessions: Any, unique: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    thing, owner = unique("thing"), unique("acct")
    await fund_escrow(sessions, thing, unique("acct"), "2026-09", 300)
    await fund_escrow(sessions, thing, unique("acct"), "2026-09", 200)
    late_patron = unique("acct")
    real_post_entry = escrow_module.post_entry

    async def post_entry_while_a_batch_commits(session: Any, entry: NewEntry) -> Any:
        # A close batch commits a new contribution while the release waits for the escrow lock.
        await fund_escrow(sessions, thing, late_patron, "2026-10", 700)
        return await real_post_entry(session, entry)

    monkeypatch.setattr(escrow_module, "post_entry", post_entry_while_a_batch_commits)
    async with sessions() as s, s.begin():
        posted = await release_escrow(s, thing, owner, cause="test")
    assert posted is not None
    assert posted.line(chart.escrow(thing, "EUR").id).amount == 500  # only what it locked

    async with sessions() as s:
        rows = (await s.execute(select(EscrowContribution).where(EscrowContribution.thing_id == thing))).scalars()
        status = {(c.patron_id == late_patron, c.status) for c in rows}
    assert status == {(False, "released"), (True, "held")}  # the late 7.00 is still there to release
