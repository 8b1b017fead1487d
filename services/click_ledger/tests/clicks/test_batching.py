"""Group commit: concurrent clicks share transactions, and each still gets the answer it would get alone."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from trickle_click_ledger.clicks import batcher as batcher_module
from trickle_click_ledger.clicks.batcher import ClickBatcher
from trickle_click_ledger.clicks.partitioning import partition_for
from trickle_click_ledger.clicks.repository import Written
from trickle_click_ledger.clicks.schemas import ClickOut
from trickle_click_ledger.clicks.service import register_click
from trickle_click_ledger.clicks.writer import new_click, write_batch
from trickle_click_ledger.models import Click
from trickle_click_ledger.periods.lock import current_period_locked
from trickle_kit.envelope import utcnow
from trickle_kit.ids import new_id
from trickle_kit.tables import OutboxRecord
from trickle_kit.testing import EVENTUAL_S, wait_until
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.things import register


async def outbox_of(client: httpx.AsyncClient, click_ids: list[str]) -> dict[str, OutboxRecord]:
    async with sessions_of(client)() as session:
        rows = (await session.execute(select(OutboxRecord).where(OutboxRecord.subject.in_(click_ids)))).scalars()
        return {r.subject: r for r in rows if r.subject is not None}


async def test_mixed_concurrent_clicks_each_get_their_own_answer(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    creator = new_id("acct")
    things = [(await register(client, tokens, creator, f"https://batch.example/{creator}/{i}"))["id"] for i in range(3)]
    patrons = [new_id("acct") for _ in range(30)]
    twice = new_id("acct")
    batcher = client.app.state.click_batcher  # type: ignore[attr-defined]
    batches_before = batcher.batches

    def post(patron: str, thing: str) -> Any:
        return client.post("/v1/clicks", json={"thing_id": thing}, headers=tokens.headers(patron))

    fresh, doubled, own, unknown = await asyncio.gather(
        asyncio.gather(*(post(p, things[i % 3]) for i, p in enumerate(patrons))),
        asyncio.gather(post(twice, things[0]), post(twice, things[0]), post(twice, things[0])),
        post(creator, things[1]),
        post(patrons[0], new_id("thing")),
    )

    assert [r.status_code for r in fresh] == [201] * 30, [r.text for r in fresh if r.status_code != 201]
    assert batcher.batches - batches_before < 30  # they really shared transactions
    assert sorted(r.status_code for r in doubled) == [200, 200, 201]
    assert len({r.json()["id"] for r in doubled}) == 1  # the repeats answer the one click
    assert own.status_code == 422 and own.json()["code"] == "self_click"
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"

    created = [r.json() for r in fresh] + [next(r.json() for r in doubled if r.status_code == 201)]
    events = await outbox_of(client, [c["id"] for c in created])
    assert len(events) == 31  # one event per click, none for the refusals or repeats
    for click in created:
        event = events[click["id"]]
        assert event.event_type == "clicks.click.registered"
        assert event.partition == partition_for(click["patron_id"], settings.click_partitions)
        assert event.payload["period"] == click["period"] and event.payload["owner_id"] == creator
    async with sessions_of(client)() as session:
        stored = (await session.execute(select(func.count()).where(Click.patron_id == twice))).scalar_one()
    assert stored == 1


async def test_a_batched_click_is_answered_field_for_field_as_stored(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    """The batch answers from its insert's returned row (``InsertedClick``), not from a read of the click."""
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-row.example/{creator}"))["id"]
    response = await client.post("/v1/clicks", json={"thing_id": thing}, headers=tokens.headers(new_id("acct")))

    assert response.status_code == 201
    async with sessions_of(client)() as session:
        stored = (await session.execute(select(Click).where(Click.id == response.json()["id"]))).scalar_one()
    assert response.json() == ClickOut.model_validate(stored).model_dump(mode="json")
    assert response.json()["owner_id"] == creator and response.json()["weight"] == 1


async def test_a_failed_batch_loses_no_click(
    client: httpx.AsyncClient, tokens: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the batch transaction fails (here: it raises), every click is registered alone."""
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-fail.example/{creator}"))["id"]

    async def broken(*_: Any) -> dict[str, Written]:
        raise RuntimeError("the batch transaction failed")

    monkeypatch.setattr(ClickBatcher, "_write", broken)
    patrons = [new_id("acct") for _ in range(10)]
    responses = await asyncio.gather(
        *(client.post("/v1/clicks", json={"thing_id": thing}, headers=tokens.headers(p)) for p in patrons)
    )

    assert [r.status_code for r in responses] == [201] * 10
    events = await outbox_of(client, [r.json()["id"] for r in responses])
    assert len(events) == 10


async def test_a_writer_that_ends_by_mistake_is_replaced(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer cancelled in the middle of a batch: its batch takes the one-click path, and the
    clicks queued behind it are written by the writer that replaces it, with no new click needed."""
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-dead.example/{creator}"))["id"]
    write = ClickBatcher._write
    first_batch, release = asyncio.Event(), asyncio.Event()

    async def held_first(self: ClickBatcher, connection: Any, batch: list[Any]) -> dict[str, Written]:
        if not first_batch.is_set():
            first_batch.set()
            await release.wait()  # cancelled here
        return await write(self, connection, batch)

    monkeypatch.setattr(ClickBatcher, "_write", held_first)
    batcher = ClickBatcher(
        sessions_of(client), engine=client.app.state.engine, partitions=settings.click_partitions, writers=1
    )
    try:
        first = asyncio.ensure_future(batcher.click(new_id("acct"), thing))
        await first_batch.wait()
        queued = [asyncio.ensure_future(batcher.click(new_id("acct"), thing)) for _ in range(3)]
        await asyncio.sleep(0)  # the three are queued behind the held batch
        (writer,) = batcher._tasks
        writer.cancel()
        answers = await asyncio.wait_for(asyncio.gather(first, *queued), EVENTUAL_S)

        assert [created for _, created in answers] == [True] * 4
        assert batcher._tasks and batcher._tasks[0] is not writer and not batcher._tasks[0].done()
        assert batcher.written == 3  # the queued three by the new writer; the first by the one-click path
    finally:
        await batcher.close()


class _WriterKilled(BaseException):
    """Not an ``Exception``: the writer's own handler lets it through, and the writer task dies of it."""


async def test_closing_while_a_dead_writer_awaits_its_replacement_answers_every_click(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-killed.example/{creator}"))["id"]

    async def killed(*_: Any) -> dict[str, Written]:
        raise _WriterKilled

    monkeypatch.setattr(ClickBatcher, "_write", killed)
    batcher = ClickBatcher(sessions_of(client), engine=client.app.state.engine, partitions=settings.click_partitions)
    first = asyncio.ensure_future(batcher.click(new_id("acct"), thing))
    await asyncio.sleep(0)
    (writer,) = batcher._tasks
    await asyncio.wait([writer])  # dead, its replacement not started yet
    queued = asyncio.ensure_future(batcher.click(new_id("acct"), thing))
    await asyncio.sleep(0)

    (replacement,) = batcher._restarts  # due in WRITER_RESTART_S
    await batcher.close()  # does not raise the dead writer's error, and answers the queued click
    answers = await asyncio.wait_for(asyncio.gather(first, queued), EVENTUAL_S)

    assert [created for _, created in answers] == [True, True]  # both the one-click way
    assert replacement.cancelled()  # the pending replacement will not start
    assert batcher._tasks == [] and batcher.batches == 0


async def test_a_closed_batcher_sends_every_click_the_one_click_way(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-closed.example/{creator}"))["id"]
    batcher = ClickBatcher(sessions_of(client), engine=client.app.state.engine, partitions=settings.click_partitions)
    await batcher.close()
    click, created = await batcher.click(new_id("acct"), thing)
    assert created and click.thing_id == thing
    assert batcher._tasks == [] and batcher.batches == 0  # no writer started after close


async def test_closing_the_batcher_answers_every_queued_click(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    """Shutdown: the writers stop, and the clicks still queued take the one-click path: each is stored once."""
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-close.example/{creator}"))["id"]
    sessions = sessions_of(client)
    batcher = ClickBatcher(
        sessions, engine=client.app.state.engine, partitions=settings.click_partitions, max_batch=1, writers=1
    )
    waiting = [asyncio.ensure_future(batcher.click(new_id("acct"), thing)) for _ in range(5)]
    await asyncio.sleep(0)  # queued, the one writer has started on the first
    await batcher.close()
    answers = await asyncio.wait_for(asyncio.gather(*waiting), EVENTUAL_S)

    assert batcher.written < 5  # max_batch=1, one writer: not all five were written by batches before close
    assert [created for _, created in answers] == [True] * 5
    async with sessions() as session:
        stored = list((await session.execute(select(Click.id).where(Click.thing_id == thing))).scalars())
    assert sorted(stored) == sorted(click.id for click, _ in answers)
    with pytest.raises(ValueError):
        ClickBatcher(sessions, engine=client.app.state.engine, partitions=settings.click_partitions, max_batch=0)


async def test_clicks_arriving_while_a_batch_is_written_wait_and_share_the_next(
    client: httpx.AsyncClient, tokens: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One batch at a time per process (``click_batch_writers`` 1, the default): fewer, larger transactions."""
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-one-writer.example/{creator}"))["id"]
    write = ClickBatcher._write
    in_flight, most, sizes = 0, 0, []
    writing, queued = asyncio.Event(), asyncio.Event()

    async def slow_write(self: ClickBatcher, connection: Any, batch: list[Any]) -> dict[str, Written]:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        sizes.append(len(batch))
        writing.set()
        try:
            if len(sizes) == 1:
                await queued.wait()  # a slow commit: the clicks below arrive meanwhile
            return await write(self, connection, batch)
        finally:
            in_flight -= 1

    monkeypatch.setattr(ClickBatcher, "_write", slow_write)

    def post(patron: str) -> Any:
        return client.post("/v1/clicks", json={"thing_id": thing}, headers=tokens.headers(patron))

    first = asyncio.ensure_future(post(new_id("acct")))
    await writing.wait()
    posted = asyncio.gather(*(post(new_id("acct")) for _ in range(10)))
    batcher = client.app.state.click_batcher  # type: ignore[attr-defined]

    await wait_until(lambda: _queued(batcher, 10), interval_s=0.01)
    queued.set()
    meanwhile = await posted

    assert (await first).status_code == 201 and [r.status_code for r in meanwhile] == [201] * 10
    assert most == 1  # no second transaction while one is being written
    assert sizes[0] == 1 and sum(sizes[1:]) == 10 and len(sizes) < 11  # the ten waited together


async def test_a_batch_that_committed_but_answered_an_error_is_answered_once_as_created(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's statement is its own transaction: it can commit and still fail to answer (the
    connection drops, the writer is cancelled as it ends). Its clicks then take the one-click path,
    which finds each under the id the batch wrote it with: created, and stored once."""
    await _open_period(client)
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-lost-answer.example/{creator}"))["id"]
    write = ClickBatcher._write
    written: list[str] = []

    async def committed_then_failed(self: ClickBatcher, connection: Any, batch: list[Any]) -> dict[str, Written]:
        written.extend((await write(self, connection, batch)).keys())
        raise ConnectionResetError("the answer was lost")

    monkeypatch.setattr(ClickBatcher, "_write", committed_then_failed)
    batcher = ClickBatcher(sessions_of(client), engine=client.app.state.engine, partitions=settings.click_partitions)
    try:
        patrons = [new_id("acct") for _ in range(4)]
        answers = await asyncio.wait_for(asyncio.gather(*(batcher.click(p, thing) for p in patrons)), EVENTUAL_S)
    finally:
        await batcher.close()

    assert len(written) == 4  # the batches did write every click
    assert [created for _, created in answers] == [True] * 4
    assert sorted(click.id for click, _ in answers) == sorted(written)  # answered as the batches wrote them
    async with sessions_of(client)() as session:
        stored = list((await session.execute(select(Click.id).where(Click.thing_id == thing))).scalars())
    assert sorted(stored) == sorted(written)  # none written twice


async def test_a_batch_whose_answer_is_lost_while_it_waits_is_not_written_twice(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    """The fallback of a batch of unknown outcome writes the click under the batch's id: whichever of
    the two commits second finds the first, and the click is stored once, answered as created."""
    await _open_period(client)
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-late.example/{creator}"))["id"]
    patron = new_id("acct")
    click = new_click(patron, thing, partitions=settings.click_partitions, now=utcnow())
    sessions = sessions_of(client)
    async with sessions() as late, late.begin():  # the batch, still in flight: written, not committed
        await write_batch(late, [click])
        fallback = asyncio.ensure_future(_fallback(sessions, click, settings.click_partitions))
        await asyncio.sleep(0.2)
        assert not fallback.done()  # waits on the batch's row
    answered, created = await asyncio.wait_for(fallback, EVENTUAL_S)

    assert (answered.id, created) == (click.id, True)
    async with sessions() as session:
        stored = list((await session.execute(select(Click.id).where(Click.thing_id == thing))).scalars())
    assert stored == [click.id]


async def test_a_writer_whose_connection_died_between_batches_takes_another(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer keeps its connection between batches and pings it after an idle spell (here: always);
    when the server has closed it, the next batch is written on a new one, no click lost."""
    monkeypatch.setattr(batcher_module, "PING_AFTER_IDLE_S", 0.0)
    await _open_period(client)
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://batch-conn-died.example/{creator}"))["id"]
    sessions = sessions_of(client)
    batcher = ClickBatcher(sessions, engine=client.app.state.engine, partitions=settings.click_partitions)
    try:
        _, created = await batcher.click(new_id("acct"), thing)
        assert created and batcher.batches == 1
        async with sessions() as session:  # the writer's connection: the one idle after write_clicks
            killed = (
                await session.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND state = 'idle' AND query LIKE '%write_clicks(%'"
                        " AND pid <> pg_backend_pid()"
                    )
                )
            ).scalar_one()
        assert killed >= 1
        answers = [await batcher.click(new_id("acct"), thing) for _ in range(3)]
    finally:
        await batcher.close()

    assert [created for _, created in answers] == [True] * 3
    assert batcher.batches == 4  # the ping found the dead connection: every click went in a batch
    async with sessions() as session:
        stored = (await session.execute(select(func.count()).where(Click.thing_id == thing))).scalar_one()
    assert stored == 4


async def _open_period(client: httpx.AsyncClient) -> None:
    """Batches write into the open period only; a fresh database has none until a click opens it."""
    async with sessions_of(client)() as session, session.begin():
        await current_period_locked(session, utcnow())


async def _fallback(sessions: Any, click: Any, partitions: int) -> tuple[Any, bool]:
    async with sessions() as session, session.begin():
        return await register_click(
            session,
            patron_id=click.patron_id,
            thing_id=click.thing_id,
            url=None,
            partitions=partitions,
            written_as=click.id,
        )


async def test_clicks_within_a_writers_interval_share_its_next_batch(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    """``interval_s``: a writer starts a batch at most that often; clicks arriving sooner share one."""
    thing = await _thing(client, tokens)
    batcher, interval = _held_interval(client, settings)
    try:
        await batcher.click(new_id("acct"), thing)  # the first batch starts at once
        second = asyncio.ensure_future(batcher.click(new_id("acct"), thing))
        await asyncio.wait_for(interval.entered.wait(), EVENTUAL_S)  # the writer holds it, waiting
        third = asyncio.ensure_future(batcher.click(new_id("acct"), thing))
        await wait_until(lambda: _queued(batcher, 1))
        interval.release.set()
        answers = await asyncio.wait_for(asyncio.gather(second, third), EVENTUAL_S)
    finally:
        await batcher.close()

    assert [created for _, created in answers] == [True, True]
    assert (batcher.batches, batcher.written) == (2, 3)  # the second and third in one batch
    assert interval.pauses and 3500 < interval.pauses[0] <= 3600  # the rest of the hour


async def test_a_writer_with_a_full_batch_queued_does_not_wait_out_its_interval(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    thing = await _thing(client, tokens)
    batcher, interval = _held_interval(client, settings, max_batch=2)
    try:
        await batcher.click(new_id("acct"), thing)
        both = asyncio.gather(*(batcher.click(new_id("acct"), thing) for _ in range(2)))  # queued together
        answers = await asyncio.wait_for(both, EVENTUAL_S)  # the held interval is never released
    finally:
        await batcher.close()

    assert [created for _, created in answers] == [True, True]
    assert (batcher.batches, batcher.written, interval.pauses) == (2, 3, [])


async def test_a_click_waiting_out_the_interval_is_answered_when_the_batcher_closes(
    client: httpx.AsyncClient, tokens: TokenFactory, settings: Any
) -> None:
    """``close()`` while the writer holds a click for the rest of its interval: that click is not
    in the queue any more, so the writer itself hands it back to the one-click path."""
    thing = await _thing(client, tokens)
    batcher, interval = _held_interval(client, settings)
    try:
        await batcher.click(new_id("acct"), thing)
        patron = new_id("acct")
        held = asyncio.ensure_future(batcher.click(patron, thing))
        await asyncio.wait_for(interval.entered.wait(), EVENTUAL_S)
    finally:
        await batcher.close()
    click, created = await asyncio.wait_for(held, EVENTUAL_S)

    assert created and click.patron_id == patron
    assert (batcher.batches, batcher.written) == (1, 1)  # written alone, not by a batch


@dataclass
class _HeldInterval:
    """Stands in for a writer's wait: records the pause and holds the writer until released."""

    entered: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    pauses: list[float] = field(default_factory=list)

    async def __call__(self, pause: float) -> None:
        self.pauses.append(pause)
        self.entered.set()
        await self.release.wait()


def _held_interval(
    client: httpx.AsyncClient, settings: Any, max_batch: int = 200
) -> tuple[ClickBatcher, _HeldInterval]:
    batcher = ClickBatcher(
        sessions_of(client),
        engine=client.app.state.engine,
        partitions=settings.click_partitions,
        max_batch=max_batch,
        interval_s=3600.0,
    )
    interval = _HeldInterval()
    batcher._wait_out = interval  # type: ignore[method-assign]
    return batcher, interval


async def _thing(client: httpx.AsyncClient, tokens: TokenFactory) -> str:
    await _open_period(client)
    creator = new_id("acct")
    thing: str = (await register(client, tokens, creator, f"https://batch-interval.example/{creator}"))["id"]
    return thing


async def _queued(batcher: ClickBatcher, count: int) -> bool:
    return batcher._queue.qsize() == count


async def test_repeat_clicks_are_answered_by_their_batch_with_the_click_they_repeat(
    client: httpx.AsyncClient, tokens: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst of repeats (double clicks, retries) is answered by the batches, not one by one: each
    gets the live click it repeats (200, as on the one-click path), and no event."""
    creator = new_id("acct")
    urls = [f"https://repeat.example/{creator}/{i}" for i in range(2)]
    things = [(await register(client, tokens, creator, url))["id"] for url in urls]
    patrons = [new_id("acct") for _ in range(4)]

    def post(patron: str, thing: str) -> Any:
        return client.post("/v1/clicks", json={"thing_id": thing}, headers=tokens.headers(patron))

    first = {(p, t): (await post(p, t)).json() for p in patrons for t in things}
    one_by_one: list[str] = []

    async def counted(session: Any, **kwargs: Any) -> Any:
        one_by_one.append(kwargs["patron_id"])
        return await register_click(session, **kwargs)

    monkeypatch.setattr(batcher_module, "register_click", counted)
    pairs = [(p, t) for p in patrons for t in things] * 3
    repeats = await asyncio.gather(*(post(p, t) for p, t in pairs))

    assert [r.status_code for r in repeats] == [200] * len(pairs), [r.text for r in repeats if r.status_code != 200]
    assert [r.json() for r in repeats] == [first[pair] for pair in pairs]  # the click repeated, field for field
    assert one_by_one == []
    events = await outbox_of(client, [c["id"] for c in first.values()])
    assert len(events) == len(first)  # the repeats staged none


async def test_a_click_repeated_within_one_batch_is_answered_with_the_click_that_batch_wrote(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://repeat-in-batch.example/{creator}"))["id"]
    async with sessions_of(client)() as session, session.begin():
        await current_period_locked(session, utcnow())  # opens one if the database has none yet
    patron = new_id("acct")
    batch = [new_click(patron, thing, partitions=1, now=utcnow()) for _ in range(3)]
    engine = client.app.state.click_batcher.engine  # type: ignore[attr-defined]
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        written = await batcher_module.write_batch_on(driver, batch)

    assert len(written) == 3 and sorted(w.request_id for w in written) == sorted(c.id for c in batch)
    created = [w for w in written if w.created]
    assert len(created) == 1 and created[0].click.id == created[0].request_id  # written under its own id
    assert all(w.click == created[0].click for w in written)  # the two others answer the one written
    assert list(await outbox_of(client, [c.id for c in batch])) == [created[0].request_id]  # one event


async def test_a_repeat_answers_the_live_click_not_a_revoked_one(
    client: httpx.AsyncClient, tokens: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://repeat-revoked.example/{creator}"))["id"]
    headers = tokens.headers(new_id("acct"))
    first = (await client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)).json()
    assert (await client.delete(f"/v1/clicks/{first['id']}", headers=headers)).status_code == 200
    second = await client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)
    assert second.status_code == 201 and second.json()["id"] != first["id"]

    async def not_expected(*_: Any, **__: Any) -> Any:
        raise AssertionError("the batch answers the repeat")

    monkeypatch.setattr(batcher_module, "register_click", not_expected)
    repeat = await client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)

    assert repeat.status_code == 200 and repeat.json() == second.json()


async def test_a_repeat_of_a_thing_the_patron_has_come_to_own_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    """Ownership moved to the patron after their click (a claim): the repeat is a self click (422),
    as on the one-click path, not the old click."""
    creator, patron = new_id("acct"), new_id("acct")
    thing = (await register(client, tokens, creator, f"https://repeat-owned.example/{creator}"))["id"]
    headers = tokens.headers(patron)
    assert (await client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)).status_code == 201
    async with sessions_of(client)() as session, session.begin():
        claim = text("UPDATE things SET owner_id = :patron WHERE id = :id")
        await session.execute(claim, {"patron": patron, "id": thing})

    again = await client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)

    assert (again.status_code, again.json()["code"]) == (422, "self_click"), again.text


async def test_a_repeat_that_the_rules_now_refuse_is_still_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    """A patron suspended since their click repeats it: the batch does not answer it with the old
    click; the one-click path refuses it (409), as it would any click of theirs."""
    creator = new_id("acct")
    thing = (await register(client, tokens, creator, f"https://repeat-refused.example/{creator}"))["id"]
    patron = new_id("acct")
    headers = tokens.headers(patron)
    assert (await client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)).status_code == 201
    async with sessions_of(client)() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO accounts (id, suspended) VALUES (:id, true)"
                " ON CONFLICT (id) DO UPDATE SET suspended = true"
            ),
            {"id": patron},
        )

    again = await client.post("/v1/clicks", json={"thing_id": thing}, headers=headers)

    assert (again.status_code, again.json()["code"]) == (409, "account_suspended"), again.text
