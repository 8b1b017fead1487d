"""``write_clicks`` (migration 0008) writes each inserted click's event as the outbox would from its model.

The function builds the ``clicks.click.registered`` payload in SQL; the relay sends it as it is. It
must be the JSON text ``trickle_kit.envelope.payload_text`` writes for ``ClickRegistered``, byte for
byte, and every other column of the outbox row what ``Outbox.add_many`` writes.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from trickle_click_ledger.clicks.events import registered_event
from trickle_click_ledger.clicks.repository import NewClick
from trickle_click_ledger.clicks.writer import new_click, write_batch
from trickle_click_ledger.models import Account, Thing
from trickle_click_ledger.outbox import OUTBOX
from trickle_click_ledger.periods.lock import CALENDAR_LOCK, current_period_locked
from trickle_click_ledger.settings import Settings
from trickle_events.clicks import ClickRegistered
from trickle_kit.envelope import payload_text
from trickle_kit.ids import new_id
from trickle_kit.outbox import NOTIFY_CHANNEL
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.things import register

TRACEPARENT = "00-" + "1" * 32 + "-" + "2" * 16 + "-01"
_dumps = json.JSONEncoder(separators=(",", ":")).encode


async def test_each_inserted_click_gets_the_outbox_row_its_model_would_get(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    await _open_period(client)
    creator = new_id("acct")
    things = [(await register(client, tokens, creator, f"https://write.example/{creator}/{i}"))["id"] for i in range(2)]
    public_patron, patron = new_id("acct"), new_id("acct")
    sessions = sessions_of(client)
    async with sessions() as session, session.begin():
        session.add(Account(id=public_patron, giving_public=True))
    whole_second = datetime.now(UTC).replace(microsecond=0)

    def click(patron_id: str, thing_id: str, at: datetime, **extra: Any) -> NewClick:
        made = new_click(patron_id, thing_id, partitions=settings.click_partitions, now=at, **extra)
        return replace(made, trace_context=(TRACEPARENT, "k=v"))

    unclaimed = new_id("thing")
    async with sessions() as session, session.begin():
        session.add(Thing(id=unclaimed, url=f"https://u.example/{unclaimed}", domain="u.example", path="/", weight=7))
    clicks = [
        click(patron, unclaimed, whole_second + timedelta(microseconds=999999)),  # owner null, weight 7
        click(patron, things[0], whole_second),  # no fraction of a second: pydantic writes none
        click(patron, things[1], whole_second + timedelta(microseconds=5)),
        click(public_patron, things[0], whole_second + timedelta(microseconds=120000), subscription_id=new_id("sub")),
        click(creator, things[0], whole_second),  # the creator's own thing: not inserted, no event
        click(patron, new_id("thing"), whole_second),  # unknown thing: likewise
    ]
    async with sessions() as session, session.begin():
        inserted = await write_batch(session, clicks)
    async with sessions() as session:
        rows = {
            r.subject: r
            for r in (
                await session.execute(select(OutboxRecord).where(OutboxRecord.subject.in_([c.id for c in clicks])))
            ).scalars()
        }

    assert sorted(c.id for c in inserted) == sorted(c.id for c in clicks[:4])
    assert sorted(rows) == sorted(c.id for c in clicks[:4])
    assert {c.id: c.public for c in inserted} == {c.id: c.patron_id == public_patron for c in clicks[:4]}
    assert {c.id: (c.owner_id, c.weight) for c in inserted}[clicks[0].id] == (None, 7)
    for stored in inserted:
        row = rows[stored.id]
        event = registered_event(stored)
        assert await _payload_text(client, row.id) == payload_text(event, _dumps)
        assert (row.topic, row.key, row.event_type, row.schema_version, row.source) == (
            ClickRegistered.topic,
            stored.patron_id,
            ClickRegistered.event_type,
            ClickRegistered.schema_version,
            OUTBOX.source,
        )
        assert row.partition == stored.partition
        assert row.event_id.startswith("evt_") and row.published_at is None
        assert (row.traceparent, row.tracestate) == (TRACEPARENT, "k=v")


async def test_events_are_staged_in_the_clicks_lock_order(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    """Outbox ids follow the clicks' order as written (patron, then thing): per key, Kafka's order."""
    await _open_period(client)
    creator = new_id("acct")
    things = sorted(
        [(await register(client, tokens, creator, f"https://order.example/{creator}/{i}"))["id"] for i in range(3)]
    )
    patrons = sorted(new_id("acct") for _ in range(3))
    now = datetime.now(UTC)
    clicks = [
        new_click(p, t, partitions=settings.click_partitions, now=now) for p in reversed(patrons) for t in things[::-1]
    ]
    async with sessions_of(client)() as session, session.begin():
        await write_batch(session, clicks)
    async with sessions_of(client)() as session:
        staged = (
            await session.execute(
                select(OutboxRecord.key, OutboxRecord.payload)
                .where(OutboxRecord.subject.in_([c.id for c in clicks]))
                .order_by(OutboxRecord.id)
            )
        ).all()
    order = [(key, payload["thing_id"]) for key, payload in staged]
    assert order == [(p, t) for p in patrons for t in things]


async def test_the_function_takes_the_calendar_lock_and_notifies_the_relay_the_code_names(
    client: httpx.AsyncClient,
) -> None:
    async with sessions_of(client)() as session:
        source = (await session.execute(text("SELECT prosrc FROM pg_proc WHERE proname = 'write_clicks'"))).scalar_one()
    lock, insert = source.index(f"pg_advisory_xact_lock_shared({CALENDAR_LOCK})"), source.index("INSERT INTO clicks")
    assert lock < insert  # the insert is a later statement: its snapshot is younger than the lock
    assert f"pg_notify('{NOTIFY_CHANNEL}', '')" in source


async def test_the_function_refuses_a_snapshot_older_than_its_lock(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    """Under REPEATABLE READ every statement shares the transaction's first snapshot: a click could
    read a period sealed while it waited for the lock. The function refuses to run there."""
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://rr.example/{creator}"))["id"]
    async with sessions_of(client)() as session, session.begin():
        await session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        with pytest.raises(DBAPIError, match="write_clicks needs READ COMMITTED"):
            click = new_click(new_id("acct"), thing, partitions=settings.click_partitions, now=datetime.now(UTC))
            await write_batch(session, [click])


async def _open_period(client: httpx.AsyncClient) -> None:
    """The function writes into the open period only; a fresh database has none until a click opens it."""
    async with sessions_of(client)() as session, session.begin():
        await current_period_locked(session, datetime.now(UTC))


async def _payload_text(client: httpx.AsyncClient, outbox_id: int) -> str:
    """The payload exactly as stored (the text the relay sends)."""
    async with sessions_of(client)() as session:
        stored = (
            await session.execute(text("SELECT payload::text FROM outbox WHERE id = :id"), {"id": outbox_id})
        ).scalar_one()
    return str(stored)


def test_click_writers_leave_the_pool_connections_for_requests(database_url: str, topic_prefix: str) -> None:
    """Each writer keeps one of the pool's connections: as many writers as connections is refused."""
    with pytest.raises(ValueError, match="click_batch_writers"):
        Settings(database_url=database_url, topic_prefix=topic_prefix, db_pool_size=4, click_batch_writers=4)
    assert Settings(database_url=database_url, topic_prefix=topic_prefix, db_pool_size=4, click_batch_writers=3)


async def test_a_caller_of_the_previous_release_gets_the_previous_answer(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    """While a deployment rolls out after migration 0009, API processes of the release before call
    ``write_clicks`` with 0008's arguments and read 0008's columns: they get the inserted clicks only,
    never a repeat (which they would take for a new click)."""
    await _open_period(client)
    creator, patron = new_id("acct"), new_id("acct")
    thing = (await register(client, tokens, creator, f"https://previous.example/{creator}"))["id"]
    first, repeat = new_id("clk"), new_id("clk")
    call_0008 = text(  # the previous release's statement, with the casts its bind parameters rendered
        "SELECT id, patron_id, thing_id, period, partition, owner_id, weight, public, subscription_id, created_at,"
        " revoked_at FROM write_clicks(CAST(:ids AS VARCHAR[]), CAST(:patrons AS VARCHAR[]),"
        " CAST(:things AS VARCHAR[]), CAST(:partitions AS SMALLINT[]), CAST(:created AS TIMESTAMP WITH TIME ZONE[]),"
        " CAST(:subscriptions AS VARCHAR[]), CAST(:event_ids AS VARCHAR[]), CAST(:traceparents AS VARCHAR[]),"
        " CAST(:tracestates AS TEXT[]), CAST(:topic AS VARCHAR), CAST(:event_type AS VARCHAR),"
        " CAST(:source AS VARCHAR), CAST(:schema_version AS INTEGER), CAST(:occurred_at AS TIMESTAMP WITH TIME ZONE))"
    )

    async def call(click_id: str) -> list[Any]:
        params = {
            "ids": [click_id],
            "patrons": [patron],
            "things": [thing],
            "partitions": [0],
            "created": [datetime.now(UTC)],
            "subscriptions": [None],
            "event_ids": [new_id("evt")],
            "traceparents": [None],
            "tracestates": [None],
            "topic": "clicks",
            "event_type": "clicks.click.registered",
            "source": "test",
            "schema_version": 1,
            "occurred_at": datetime.now(UTC),
        }
        async with sessions_of(client)() as session, session.begin():
            return list((await session.execute(call_0008, params)).all())

    assert [row.id for row in await call(first)] == [first]
    assert await call(repeat) == []
