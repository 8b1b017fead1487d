"""Settlement worker process: outbox relay and consumers."""

from __future__ import annotations

import asyncio

from trickle_kit.worker import run_worker
from trickle_settlement.consumers import consumers
from trickle_settlement.settings import Settings


def main() -> None:
    settings = Settings()
    asyncio.run(run_worker(settings, lambda engine, sessions: consumers(settings, engine, sessions)))


if __name__ == "__main__":
    main()
