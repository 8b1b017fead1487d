"""Closes killed with SIGKILL at many points and resumed — one worker, or two sharing the close — write
exactly the entries of an uninterrupted one-worker close, with a zero trial balance."""

from __future__ import annotations

import os
import random

import pytest
from trickle_settlement_testing.close_books import clone, close_process, dump, finished, seed_period

from trickle_kit.testing import worker_suffix

PERIOD = "2034-06"
BATCH = 10
# Smaller batches when two workers share the close: the rounds of kills end before the close does.
SHARED_BATCH = 5


def run_close(url: str, kill_at: str | None = None) -> int:
    """The close CLI in its own process; ``kill_at`` installs the test hook that SIGKILLs it at a checkpoint."""
    return finished(close_process(url, PERIOD, batch=BATCH, kill_at=kill_at))


@pytest.fixture(scope="module")
def seeded() -> str:
    """A database with a period of a few hundred patrons loaded and its close started (not run)."""
    name = f"test_settlement_crash_src_{worker_suffix()}"
    seed_period(name, PERIOD, patrons=300, clicks=1_800, seed=11)
    return name


@pytest.fixture(scope="module")
def expected(seeded: str) -> str:
    """A database where the period was closed by one worker, uninterrupted."""
    reference = clone(seeded, f"test_settlement_crash_a_{worker_suffix()}")
    assert run_close(reference) == 0
    return reference


def test_a_close_killed_at_random_points_and_resumed_writes_the_same_entries(seeded: str, expected: str) -> None:
    crashed = clone(seeded, f"test_settlement_crash_b_{worker_suffix()}")
    reference = dump(expected, PERIOD)
    assert reference[len(reference) // 2], "the reference close posted entries"

    rng = random.Random(int(os.environ.get("CRASH_SEED", "5")))
    # At least four kill points per batch (three inside its transaction, one after the commit): n in
    # 1..8 kills each run within its first two batches, at every kind of point; then the points that
    # come once per shard and the close's last transaction.
    plan = [str(rng.randint(1, 8)) for _ in range(12)]
    plan += ["entries_posted:1", "shard_leased:2", "shard_done:1", "finish:1"]
    kills = 0
    for kill_at in plan:
        if run_close(crashed, kill_at) == -9:
            kills += 1
    assert kills >= 12, f"only {kills} runs were killed"
    assert run_close(crashed) == 0

    assert dump(crashed, PERIOD) == reference


def test_two_workers_killed_at_random_points_write_the_entries_of_one_uninterrupted_worker(
    seeded: str, expected: str
) -> None:
    shared = clone(seeded, f"test_settlement_crash_c_{worker_suffix()}")
    rng = random.Random(int(os.environ.get("CRASH_SEED", "5")) + 1)
    # Rounds of two workers running the close at once, each SIGKILLed at its own checkpoint (which
    # it may not reach, when the other one leaves it nothing to do); a worker dies holding a shard,
    # inside a batch, between batches, marking a shard done, finishing the period.
    points = ["shard_leased", "before_posting", "entries_posted", "events_staged", "batch_committed", "shard_done"]
    kills = 0
    for round_ in range(10):
        specs = [f"{rng.choice(points)}:{rng.randint(1, 2)}", str(rng.randint(1, 8))]
        if round_ == 9:
            specs = ["finish:1", "finish:1"]
        workers = [close_process(shared, PERIOD, batch=SHARED_BATCH, kill_at=spec) for spec in specs]
        kills += sum(finished(w) == -9 for w in workers)
    assert kills >= 10, f"only {kills} workers were killed"
    last = [close_process(shared, PERIOD, batch=SHARED_BATCH) for _ in range(2)]
    assert [finished(w) for w in last] == [0, 0]

    assert dump(shared, PERIOD, interleaved=True) == dump(expected, PERIOD, interleaved=True)
