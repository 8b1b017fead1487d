"""Wallet worker process: outbox relay and consumers."""

from __future__ import annotations

from trickle_kit.batch_process import run_batch_process
from trickle_kit.worker import run_worker
from trickle_wallet.consumers import consumers
from trickle_wallet.models import load_all_models
from trickle_wallet.settings import Settings


def main() -> None:
    settings = Settings()
    load_all_models()
    # Relay and consumers move events in bulk: uvloop and the bulk GC settings (trickle_kit.batch_process).
    run_batch_process(run_worker(settings, lambda engine, sessions: consumers(settings, engine, sessions)))


if __name__ == "__main__":
    main()
