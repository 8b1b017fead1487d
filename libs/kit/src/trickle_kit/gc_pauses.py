"""Keeps the garbage collector's passes short and rare in long-running service processes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# An API process keeps little of what a request allocates, but with the default threshold
# (700) the youngest generation was collected every ~20 clicks, at the peaks of a batch's
# allocations, promoting the objects of the requests in flight; the older passes then walked
# them again (a full pass about every 2,000 clicks). Measured with gc callbacks in both API
# processes of ``make bench-clicks`` (thread CPU time, 20 s runs): 0.6-0.7 s of collection
# per process, about 5 % of its CPU, against ~10 ms at 10,000 (7 young passes, no full one).
# A pass over 10,000 young objects costs about a millisecond.
REQUEST_GEN0_THRESHOLD = 10_000


def freeze_startup_objects() -> None:
    """Move everything alive after start-up (modules, routes, models: ~150k objects) out of the GC's reach.

    Without it every full collection walks them all, and under load full collections come
    every few hundred milliseconds (requests in flight survive into the old generation).
    Measured with ``make bench-clicks``: pauses of 80-140 ms in each API process, which were
    the whole p99 (134 ms before, 47 ms after).
    """
    gc.collect()
    gc.freeze()


@contextmanager
def young_objects_collected_less_often(threshold: int = REQUEST_GEN0_THRESHOLD) -> Iterator[None]:
    """While inside, the youngest generation is collected after ``threshold`` allocations (the older
    generations' thresholds unchanged); the thresholds before are restored on exit."""
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
