"""Outbox.add_many stages many events as add would, in order, only if the transaction commits."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from trickle_kit.outbox import Outbox
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing_events import reserved


async def test_add_many_stages_every_event_in_order_with_its_key(sessions) -> None:  # type: ignore[no-untyped-def]
    account = f"acct_{uuid.uuid4().hex}"
    events = [reserved(account, n) for n in range(1, 2501)]
    async with sessions() as s, s.begin():
        ids = await Outbox("trickle/test").add_many(s, events, chunk_size=1000)
    async with sessions() as s:
        rows = (
            (await s.execute(select(OutboxRecord).where(OutboxRecord.key == account).order_by(OutboxRecord.id)))
            .scalars()
            .all()
        )
    assert [r.event_id for r in rows] == ids and len(set(ids)) == 2500
    assert [r.payload["amount"]["amount"] for r in rows] == list(range(1, 2501))
    assert {(r.topic, r.event_type, r.source) for r in rows} == {("ledger", "ledger.payout.reserved", "trickle/test")}
    assert rows[0].subject == "po_1" and rows[0].published_at is None


async def test_add_many_stages_nothing_when_the_transaction_rolls_back(sessions) -> None:  # type: ignore[no-untyped-def]
    account = f"acct_{uuid.uuid4().hex}"
    with pytest.raises(RuntimeError):
        async with sessions() as s, s.begin():
            await Outbox("trickle/test").add_many(s, [reserved(account, 1), reserved(account, 2)])
            raise RuntimeError("the change failed")
    async with sessions() as s:
        assert (await s.execute(select(OutboxRecord).where(OutboxRecord.key == account))).first() is None


async def test_add_many_pins_each_event_to_its_given_partition(sessions) -> None:  # type: ignore[no-untyped-def]
    account = f"acct_{uuid.uuid4().hex}"
    async with sessions() as s, s.begin():
        ids = await Outbox("trickle/test").add_many(
            s, [reserved(account, n) for n in (1, 2, 3)], partitions=[4, None, 0]
        )
    async with sessions() as s:
        rows = (
            (await s.execute(select(OutboxRecord).where(OutboxRecord.key == account).order_by(OutboxRecord.id)))
            .scalars()
            .all()
        )
    assert [(r.event_id, r.partition) for r in rows] == [(ids[0], 4), (ids[1], None), (ids[2], 0)]


async def test_add_many_refuses_partitions_that_do_not_match_the_events(sessions) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as s:
        with pytest.raises(ValueError, match="one entry per event"):
            await Outbox("trickle/test").add_many(s, [reserved("acct_x", 1)], partitions=[1, 2])
