"""How a process that moves data in bulk runs (the period close, the services' workers: outbox relay
and inbox consumers): on uvloop, with the garbage collector set for many short-lived objects."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Coroutine
from typing import Any, TypeVar

import uvloop

from trickle_kit.gc_pauses import freeze_startup_objects

T = TypeVar("T")

# A close batch allocates millions of small objects (rows, splits, postings, event dicts) that
# die with it and form no cycles. With the default threshold (700) the youngest generation was
# collected thousands of times a second, each pass promoting survivors that the older passes
# then walked again: about a fifth of the close's Python CPU (100,000 patrons, one pair of runs: 60 -> 47 s).
GEN0_THRESHOLD = 50_000


def run_batch_process(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on uvloop (asyncpg's and aiokafka's socket reads and callbacks cost
    less there than on asyncio's own loop: ``make bench-events`` 0.465/0.436 → 0.542/0.527 of raw
    Kafka, runs alternating), after freezing what start-up left alive and raising the youngest
    generation's threshold."""
    freeze_startup_objects()
    gc.set_threshold(GEN0_THRESHOLD, 20, 100)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
