"""A close shared by two runners writes exactly the entries of a one-runner close; the finishing step runs once."""

from __future__ import annotations

import asyncio
import contextvars

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from trickle_settlement_testing.close_books import clone, dump, seed_period

from trickle_kit.db import make_engine, make_sessionmaker, sync_url
from trickle_kit.testing import worker_suffix
from trickle_settlement.close import checkpoints
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.models import PeriodClose
from trickle_settlement.close.service import run_close

PERIOD = "2034-07"
CONFIG = CloseConfig(batch_patrons=10, shards=8)

_runner: contextvars.ContextVar[str] = contextvars.ContextVar("runner")


@pytest.fixture(scope="module")
def seeded() -> str:
    name = f"test_settlement_shared_src_{worker_suffix()}"
    seed_period(name, PERIOD, patrons=300, clicks=1_800, seed=12)
    return name


async def close_with(url: str, runners: int) -> tuple[list[PeriodClose], dict[str, list[str]]]:
    """Run the close with ``runners`` concurrent runs in this process; their results and the points
    each passed (shards leased, shards done, finish)."""
    engine = make_engine(url, application_name="shared-close-test", pool_size=2 * runners + 2)
    sessions = make_sessionmaker(engine)
    passed: dict[str, list[str]] = {}

    def hook(point: str) -> None:
        if point in ("shard_leased", "shard_done", "finish"):
            passed.setdefault(_runner.get(), []).append(point)

    async def runner(name: str) -> PeriodClose:
        _runner.set(name)
        return await run_close(sessions, PERIOD, CONFIG)

    checkpoints.install(hook)
    try:
        rows = await asyncio.gather(*(runner(f"r{n}") for n in range(runners)))
    finally:
        checkpoints.install(None)
        await engine.dispose()
    return list(rows), passed


async def test_two_runners_share_a_close_and_write_the_entries_of_one(seeded: str) -> None:
    one = clone(seeded, f"test_settlement_shared_a_{worker_suffix()}")
    two = clone(seeded, f"test_settlement_shared_b_{worker_suffix()}")

    [alone], _ = await close_with(one, 1)
    both, passed = await close_with(two, 2)

    assert alone.status == "closed" and all(row.status == "closed" for row in both)
    # Both took part: each leased and finished shards; the period was finished exactly once.
    assert sorted(passed) == ["r0", "r1"]
    assert all(points.count("shard_done") >= 1 for points in passed.values()), passed
    assert sum(points.count("finish") for points in passed.values()) == 1
    assert sum(points.count("shard_done") for points in passed.values()) == 8

    expected = dump(one, PERIOD, interleaved=True)
    assert next(r for r in expected if r and r[0] == "closed")[1] > 100, "the close settled the patrons"
    assert dump(two, PERIOD, interleaved=True) == expected


async def test_a_runner_arriving_after_the_close_finds_it_closed(seeded: str) -> None:
    url = clone(seeded, f"test_settlement_shared_c_{worker_suffix()}")
    [first], _ = await close_with(url, 1)
    [again], passed = await close_with(url, 1)
    assert (first.status, again.status) == ("closed", "closed")
    assert passed == {}, "nothing leased, nothing finished twice"
    engine = make_engine(url, application_name="shared-close-test", pool_size=1)
    async with engine.connect() as conn:
        closed_events = (
            await conn.execute(text("SELECT count(*) FROM outbox WHERE event_type = 'settlement.period.closed'"))
        ).scalar_one()
    await engine.dispose()
    assert closed_events == 1


async def test_a_runner_leases_its_next_shard_while_its_last_batch_is_written(seeded: str) -> None:
    """When a shard runs out, the read-ahead leases the next open shard and reads its first batch
    while the last batch's transaction writes: a runner marking a shard done already holds the
    next one's lease (the last shard excepted). The close still writes the entries of one runner."""
    url = clone(seeded, f"test_settlement_shared_d_{worker_suffix()}")
    reference = clone(seeded, f"test_settlement_shared_e_{worker_suffix()}")
    watcher = create_engine(sync_url(url), poolclass=NullPool)
    leases_at_done: list[int] = []

    def count_leases(point: str) -> None:
        if point == "shard_done":
            with watcher.connect() as conn:
                leases_at_done.append(
                    conn.execute(
                        text(
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted "
                            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                        )
                    ).scalar_one()
                )

    engine = make_engine(url, application_name="shared-close-test", pool_size=4)
    checkpoints.install(count_leases)
    try:
        row = await run_close(make_sessionmaker(engine), PERIOD, CONFIG)
    finally:
        checkpoints.install(None)
        await engine.dispose()
        watcher.dispose()
    assert row.status == "closed"
    assert leases_at_done == [2] * 7 + [1], leases_at_done  # 8 shards: the next one held at each done but the last
    await close_with(reference, 1)
    assert dump(url, PERIOD, interleaved=True) == dump(reference, PERIOD, interleaved=True)


async def test_a_run_that_fails_holds_no_shard_lease(seeded: str) -> None:
    """A run failing after its read-ahead leased the next shard (here at a shard's ``done``) lets go
    of every lease: the lease connection is closed, not pooled with its session locks."""
    url = clone(seeded, f"test_settlement_shared_f_{worker_suffix()}")

    def fail(point: str) -> None:
        if point == "shard_done":
            raise RuntimeError("the run fails here")

    engine = make_engine(url, application_name="shared-close-test", pool_size=4)
    checkpoints.install(fail)
    try:
        with pytest.raises(RuntimeError, match="fails here"):
            await run_close(make_sessionmaker(engine), PERIOD, CONFIG)
    finally:
        checkpoints.install(None)
    async with engine.connect() as conn:
        leases = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
        ).scalar_one()
    await engine.dispose()
    assert leases == 0
    [row], _ = await close_with(url, 1)  # another run takes every shard and finishes the close
    assert row.status == "closed"
