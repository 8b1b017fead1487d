"""Webhook worker process: outbox relay and consumers."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Coroutine
from typing import Any

import uvloop

from trickle_kit.worker import run_worker
from trickle_webhook.consumers import consumers
from trickle_webhook.models import load_all_models
from trickle_webhook.settings import Settings


def new_event_loop() -> asyncio.AbstractEventLoop:
    """The worker's loop: uvloop (its socket writes and callbacks cost a fraction of asyncio's,
    and the delivery loop is mostly small HTTP requests). The benchmark runs on the same loop."""
    return uvloop.new_event_loop()


def run(main: Coroutine[Any, Any, None]) -> None:
    """Run ``main`` as the worker process runs: on uvloop, with the garbage collector tuned.

    Every delivery allocates thousands of short-lived objects (httpx/httpcore requests,
    responses, headers), which made the cyclic collector run constantly and walk the whole heap
    (imports included) on its older generations: about a seventh of the worker's CPU. The
    youngest generation is collected less often; ``run_worker`` freezes the objects alive after
    start-up (``trickle_kit.gc_pauses``), so they are never scanned again.
    """
    gc.set_threshold(20_000, 20, 20)
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        runner.run(main)


def main() -> None:
    settings = Settings()
    load_all_models()
    run(run_worker(settings, lambda engine, sessions: consumers(settings, engine, sessions)))


if __name__ == "__main__":
    main()
