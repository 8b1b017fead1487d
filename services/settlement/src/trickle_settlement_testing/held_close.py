"""A close held between two of its steps while a test changes something, then let go to the end.

``close_held_at(url, period, config, point, during)`` runs the close of ``period`` in a thread
with its own event loop and holds it at the first pass of the checkpoint ``point``
(``trickle_settlement.close.checkpoints.POINTS``, e.g. ``batch_committed``: between two
batches) until ``during()`` — awaited on the test's loop — has returned. Nothing is timed:
the test waits for the point to be reached, and the close waits for the test.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.testing import EVENTUAL_S
from trickle_settlement.close import checkpoints
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.models import PeriodClose
from trickle_settlement.close.service import run_close


async def close_held_at(
    url: str, period: str, config: CloseConfig, point: str, during: Callable[[], Awaitable[None]]
) -> PeriodClose:
    """Run the close of ``period`` (database ``url``) to its end, held at the first ``point`` while
    ``during()`` runs."""
    if point not in checkpoints.POINTS:
        raise ValueError(f"unknown checkpoint {point!r}; one of {checkpoints.POINTS}")
    reached, go = threading.Event(), threading.Event()
    held = threading.Event()
    rows: list[PeriodClose] = []
    errors: list[BaseException] = []

    def hook(name: str) -> None:
        if name == point and not held.is_set():
            held.set()
            reached.set()
            go.wait()

    async def close() -> PeriodClose:
        engine = make_engine(url, application_name="held-close", pool_size=4)
        try:
            return await run_close(make_sessionmaker(engine), period, config)
        finally:
            await engine.dispose()

    def thread_main() -> None:
        try:
            rows.append(asyncio.run(close()))
        except BaseException as exc:  # handed to the test below
            errors.append(exc)
        finally:
            reached.set()  # a close that ends without passing the point wakes the test too

    checkpoints.install(hook)
    thread = threading.Thread(target=thread_main, name=f"held-close-{period}", daemon=True)
    thread.start()
    try:
        if not await asyncio.to_thread(reached.wait, EVENTUAL_S):
            raise AssertionError(f"the close did not reach {point} within {EVENTUAL_S} s")
        if not held.is_set():
            raise AssertionError(f"the close ended without passing {point}") from (errors[0] if errors else None)
        await during()
    finally:
        go.set()
        await asyncio.to_thread(thread.join)
        checkpoints.install(None)
    if errors:
        raise AssertionError("the held close failed") from errors[0]
    return rows[0]
