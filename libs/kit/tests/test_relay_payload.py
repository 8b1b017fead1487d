"""The relay sends an outbox row's payload as PostgreSQL's JSON text: consumers read back the same data."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from pydantic import BaseModel
from sqlalchemy import create_engine

from trickle_kit.db import KitBase, make_engine, make_sessionmaker, sync_url
from trickle_kit.outbox import Outbox
from trickle_kit.relay import OutboxRelay
from trickle_kit.testing import KAFKA, fresh_database, read_topic, unique_prefix, worker_suffix


class Described(BaseModel):
    """A stand-in event with the JSON a real one may carry: non-ASCII text, nesting, numbers, nulls."""

    event_type: ClassVar[str] = "kit.described"
    topic: ClassVar[str] = "kit-relay-payload"
    schema_version: ClassVar[int] = 2
    thing_id: str
    title: str
    tags: list[str]
    amount: dict[str, Any]
    ratio: float
    note: str | None

    def partition_key(self) -> str:
        return self.thing_id

    def subject(self) -> str:
        return self.thing_id


async def test_the_published_value_decodes_to_the_staged_payload_with_its_headers() -> None:
    url = fresh_database(f"test_kit_relay_payload_{worker_suffix()}")  # its own outbox: the relay sends only this row
    sync_engine = create_engine(sync_url(url))
    KitBase.metadata.create_all(sync_engine)
    sync_engine.dispose()
    engine = make_engine(url, application_name="kit-relay-payload")
    sessions = make_sessionmaker(engine)
    prefix = unique_prefix("relaypayload")
    event = Described(
        thing_id="thg_1",
        title='Zoë\'s "blog" — ünïcode ✓',
        tags=["a", "b\\c", ""],
        amount={"amount": 1234567890123, "currency": "EUR"},
        ratio=0.1,
        note=None,
    )
    async with sessions() as s, s.begin():
        event_id = await Outbox("kit-test").add(s, event)
    relay = OutboxRelay(engine, bootstrap=KAFKA, topic_prefix=prefix, name="payload-relay")
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        [got] = await read_topic(prefix + Described.topic, until=lambda evs: any(e.id == event_id for e in evs))
    finally:
        stop.set()
        await task
        await engine.dispose()
    assert got.data == event.model_dump(mode="json")
    assert Described.model_validate(got.data) == event
    assert (got.type, got.source, got.subject, got.schema_version) == ("kit.described", "kit-test", "thg_1", 2)
