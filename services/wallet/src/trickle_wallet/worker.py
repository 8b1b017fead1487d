"""Wallet worker process: outbox relay and consumers."""

from __future__ import annotations

import asyncio

from trickle_kit.worker import run_worker
from trickle_wallet.consumers import consumers
from trickle_wallet.models import load_all_models
from trickle_wallet.settings import Settings


def main() -> None:
    settings = Settings()
    load_all_models()
    asyncio.run(run_worker(settings, lambda engine, sessions: consumers(settings, engine, sessions)))


if __name__ == "__main__":
    main()
