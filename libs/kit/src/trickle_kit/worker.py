"""Process entry point for a service's background work: its outbox relay and its consumers."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Sequence

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.gc_pauses import freeze_startup_objects
from trickle_kit.logs import configure_logging
from trickle_kit.metrics import MetricsServer, OutboxGauges
from trickle_kit.relay import OutboxRelay
from trickle_kit.settings import KitSettings
from trickle_kit.tracing import configure_tracing
from trickle_kit.worker_health import Heartbeat, heartbeat_path

log = structlog.get_logger("trickle.worker")

Runnable = Callable[[asyncio.Event], Awaitable[None]]
TaskFactory = Callable[[AsyncEngine, async_sessionmaker[AsyncSession]], Sequence[Runnable]]


async def run_worker(settings: KitSettings, tasks: TaskFactory, *, relay: bool = True) -> None:
    """Run the relay and every task until SIGINT/SIGTERM; then stop them cleanly."""
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    configure_tracing(settings.service_name)
    engine = make_engine(
        settings.database_url, application_name=f"{settings.service_name}-worker", pool_size=settings.db_pool_size
    )
    sessions = make_sessionmaker(engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    runnables: list[Runnable] = list(tasks(engine, sessions))
    if relay:
        runnables.append(
            OutboxRelay(
                engine,
                bootstrap=settings.kafka_bootstrap,
                topic_prefix=settings.topic_prefix,
                name=f"{settings.service_name}-relay",
                linger_s=settings.relay_linger_s,
            ).run
        )
    runnables.append(Heartbeat(engine, heartbeat_path(settings.service_name)).run)  # the probes' file
    if relay:
        runnables.append(OutboxGauges(engine, interval_s=settings.metrics_sample_interval_s).run)
    if settings.metrics_port:
        runnables.append(MetricsServer(settings.metrics_port, settings.metrics_host).run)
    freeze_startup_objects()
    log.info("worker_started", tasks=len(runnables))
    try:
        await asyncio.gather(*(r(stop) for r in runnables))
    finally:
        await engine.dispose()
        log.info("worker_stopped")
