"""The operator endpoints of trickle_kit.operations against the real PostgreSQL and Kafka: a dead letter is
listed and shown with its record, and a replay goes through the consumer's inbox again: it dead-letters
again while the cause is there, applies once when it is gone, and is refused after that."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError
from aiokafka.partitioner import DefaultPartitioner
from pydantic import BaseModel
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from trickle_kit.app import create_app
from trickle_kit.envelope import Envelope, utcnow
from trickle_kit.ids import new_id
from trickle_kit.inbox import InboxConsumer, PermanentError, Received
from trickle_kit.kafka import ensure_topics
from trickle_kit.operations import queries
from trickle_kit.operations.router import operations_router
from trickle_kit.settings import KitSettings
from trickle_kit.tables import ProcessedEvent
from trickle_kit.testing import KAFKA, unique_prefix, wait_until
from trickle_kit.testing_auth import TokenFactory

TOPIC = "noted"
# The partitions each event was received on, attempt after attempt (the handler notes them).
RECEIVED_ON: dict[str, list[int]] = {}


class Noted(BaseModel):
    event_type: ClassVar[str] = "kit.noted"
    account_id: str


async def _effects(sessions: async_sessionmaker[AsyncSession], event_id: str) -> int:
    async with sessions() as session:
        count = await session.scalar(text("SELECT count(*) FROM kit_test_effects WHERE event_id = :e"), {"e": event_id})
    return int(count or 0)


async def _note(session: AsyncSession, received: Received) -> None:
    """Applies only for accounts let in (kit_test_gate): the cause of the dead letter, which a test removes."""
    event = received.event
    assert isinstance(event, Noted)
    RECEIVED_ON.setdefault(received.envelope.id, []).append(received.partition)
    let_in = await session.scalar(text("SELECT 1 FROM kit_test_gate WHERE account_id = :a"), {"a": event.account_id})
    if let_in is None:
        raise PermanentError(f"account {event.account_id} is not let in")
    await session.execute(text("INSERT INTO kit_test_effects (event_id) VALUES (:e)"), {"e": received.envelope.id})


@pytest.fixture
async def world(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[tuple[str, str, httpx.AsyncClient, TokenFactory]]:
    async with sessions() as session, session.begin():
        # No key on the effects: an event applied twice would show as two rows.
        await session.execute(text("CREATE TABLE IF NOT EXISTS kit_test_effects (event_id text NOT NULL)"))
        await session.execute(text("CREATE TABLE IF NOT EXISTS kit_test_gate (account_id text PRIMARY KEY)"))
    prefix = unique_prefix("kitops")
    await ensure_topics(KAFKA, [prefix + TOPIC], partitions=2)
    name = f"kit-ops-{uuid.uuid4().hex[:8]}"
    inbox = InboxConsumer(
        name=name,
        topics=[TOPIC],
        sessions=sessions,
        handlers={Noted.event_type: _note},
        registry={Noted.event_type: Noted},
        bootstrap=KAFKA,
        topic_prefix=prefix,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(inbox.run(stop))
    settings = KitSettings(
        database_url=database_url, kafka_bootstrap=KAFKA, topic_prefix=prefix, rate_limit_enabled=False, log_json=False
    )
    app = create_app(settings, title="kit operations", routers=[operations_router("kit-test", topics=[TOPIC])])
    tokens = TokenFactory()
    app.state.verifier = tokens.verifier()
    try:
        await asyncio.wait_for(inbox.started.wait(), 60)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://kit.test") as client:
                yield prefix, name, client, tokens
    finally:
        stop.set()
        await task


async def _publish(prefix: str, account_id: str, partition: int | None = None) -> str:
    envelope = Envelope(
        id=new_id("evt"),
        type=Noted.event_type,
        source="trickle/kit-test",
        time=utcnow(),
        data={"account_id": account_id},
    )
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            prefix + TOPIC,
            value=envelope.value(),
            key=account_id.encode(),
            headers=envelope.headers(),
            partition=partition,
        )
    finally:
        await producer.stop()
    return envelope.id


async def test_a_replayed_dead_letter_goes_through_the_inbox_and_applies_once(
    world: tuple[str, str, httpx.AsyncClient, TokenFactory], sessions: async_sessionmaker[AsyncSession]
) -> None:
    prefix, consumer, client, tokens = world
    op = tokens.operator_headers()
    account = f"acct_{uuid.uuid4().hex}"
    event_id = await _publish(prefix, account)

    async def dead() -> bool:
        async with sessions() as session:
            return bool(await queries.dead_letters_of(session, event_id))

    await wait_until(dead)
    page = await client.get("/v1/operations/kit-test/dead-letters", params={"limit": 100}, headers=op)
    assert page.status_code == 200, page.text
    mine = [d for d in page.json()["data"] if d["event_id"] == event_id]
    assert [(d["consumer"], d["service"]) for d in mine] == [(consumer, "kit-test")]
    assert "not let in" in mine[0]["error"]

    async def shown_with_record() -> bool:  # the record reaches <topic>.dlq just after the inbox's note
        answer = await client.get(f"/v1/operations/kit-test/dead-letters/{event_id}", headers=op)
        return answer.status_code == 200 and answer.json()["event_type"] == Noted.event_type

    await wait_until(shown_with_record)
    shown = (await client.get(f"/v1/operations/kit-test/dead-letters/{event_id}", headers=op)).json()
    assert shown["payload"] == {"account_id": account} and shown["topic"] == prefix + TOPIC
    assert "not let in" in shown["reason"]

    # Replayed while the cause is still there: the inbox claims it again and dead-letters it again.
    first = await client.post(f"/v1/operations/kit-test/dead-letters/{event_id}/replay", headers=op)
    assert first.status_code == 202, first.text
    assert first.json()["consumers"] == [consumer]
    await wait_until(dead)
    assert await _effects(sessions, event_id) == 0

    # The cause goes; the replay applies it, once.
    async with sessions() as session, session.begin():
        await session.execute(text("INSERT INTO kit_test_gate (account_id) VALUES (:a)"), {"a": account})

    async def record_back_on_the_dlq() -> bool:  # the second dead-lettering's record, for the replay to send
        async with sessions() as session:
            rows = await queries.dead_letters_of(session, event_id)
        answer = await client.get(f"/v1/operations/kit-test/dead-letters/{event_id}", headers=op)
        return bool(rows) and answer.status_code == 200 and answer.json()["event_type"] is not None

    await wait_until(record_back_on_the_dlq)
    second = await client.post(f"/v1/operations/kit-test/dead-letters/{event_id}/replay", headers=op)
    assert second.status_code == 202, second.text

    async def applied() -> bool:
        return await _effects(sessions, event_id) == 1

    await wait_until(applied)
    async with sessions() as session:
        outcome = await session.scalar(
            select(ProcessedEvent.outcome).where(
                ProcessedEvent.consumer == consumer, ProcessedEvent.event_id == event_id
            )
        )
        assert outcome == "applied"

    again = await client.post(f"/v1/operations/kit-test/dead-letters/{event_id}/replay", headers=op)
    assert (again.status_code, again.json()["code"]) == (409, "dead_letter_not_dead")
    missing = await client.get(f"/v1/operations/kit-test/dead-letters/{event_id}", headers=op)
    assert missing.status_code == 404
    assert await _effects(sessions, event_id) == 1

    async with sessions() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.event_id == event_id)
            )
            == 1
        )


async def test_a_replay_goes_back_to_the_partition_the_record_came_from(
    world: tuple[str, str, httpx.AsyncClient, TokenFactory], sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Records may be pinned to a partition their key would not pick (seal markers: one per partition,
    recorded for the partition they arrive on): a replay must not move one to its key's partition."""
    prefix, _, client, tokens = world
    op = tokens.operator_headers()
    account = f"acct_{uuid.uuid4().hex}"
    by_key = DefaultPartitioner()(account.encode(), [0, 1], [0, 1])
    pinned = 1 - by_key
    event_id = await _publish(prefix, account, partition=pinned)

    async def dead_with_record() -> bool:
        answer = await client.get(f"/v1/operations/kit-test/dead-letters/{event_id}", headers=op)
        return answer.status_code == 200 and answer.json()["event_type"] is not None

    await wait_until(dead_with_record)
    async with sessions() as session, session.begin():
        await session.execute(text("INSERT INTO kit_test_gate (account_id) VALUES (:a)"), {"a": account})
    replay = await client.post(f"/v1/operations/kit-test/dead-letters/{event_id}/replay", headers=op)
    assert replay.status_code == 202, replay.text

    async def applied() -> bool:
        return await _effects(sessions, event_id) == 1

    await wait_until(applied)
    assert set(RECEIVED_ON[event_id]) == {pinned}, RECEIVED_ON[event_id]  # each attempt, the replay's too


async def test_a_dead_letter_whose_record_could_not_be_written_is_not_lost(
    world: tuple[str, str, httpx.AsyncClient, TokenFactory],
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Kafka away just when a record goes to ``<topic>.dlq``: the inbox must not keep its dead note
    without the record (the record is what a replay sends; a note alone makes the event skipped for
    good), so the event is consumed again and dead-lettered whole."""
    prefix, _, client, tokens = world
    op = tokens.operator_headers()
    real = InboxConsumer._dead_letter
    refused: list[str] = []

    async def dlq_away_once(self: InboxConsumer, dlq: AIOKafkaProducer, rec: Any, reason: str) -> None:
        if not refused:
            refused.append(reason)
            raise KafkaConnectionError("the dead-letter topic's broker is away")
        await real(self, dlq, rec, reason)

    monkeypatch.setattr(InboxConsumer, "_dead_letter", dlq_away_once)
    account = f"acct_{uuid.uuid4().hex}"
    event_id = await _publish(prefix, account)

    async def dead_with_record() -> bool:
        answer = await client.get(f"/v1/operations/kit-test/dead-letters/{event_id}", headers=op)
        return answer.status_code == 200 and answer.json()["event_type"] is not None

    await wait_until(dead_with_record)
    assert refused, "the dead-letter topic was never refused"
    async with sessions() as session, session.begin():
        await session.execute(text("INSERT INTO kit_test_gate (account_id) VALUES (:a)"), {"a": account})
    replay = await client.post(f"/v1/operations/kit-test/dead-letters/{event_id}/replay", headers=op)
    assert replay.status_code == 202, replay.text

    async def applied() -> bool:
        return await _effects(sessions, event_id) == 1

    await wait_until(applied)


async def test_the_operator_endpoints_answer_operators_only(
    world: tuple[str, str, httpx.AsyncClient, TokenFactory],
) -> None:
    _, _, client, tokens = world
    holder = tokens.headers(f"acct_{uuid.uuid4().hex}")
    for method, path in (
        ("GET", "/v1/operations/kit-test/outbox"),
        ("GET", "/v1/operations/kit-test/dead-letters"),
        ("GET", f"/v1/operations/kit-test/dead-letters/{new_id('evt')}"),
        ("POST", f"/v1/operations/kit-test/dead-letters/{new_id('evt')}/replay"),
    ):
        assert (await client.request(method, path)).status_code == 401
        assert (await client.request(method, path, headers=holder)).status_code == 403
    backlog = await client.get("/v1/operations/kit-test/outbox", headers=tokens.operator_headers())
    assert backlog.status_code == 200 and backlog.json()["service"] == "kit-test"
