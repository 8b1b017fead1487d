"""Click-ledger worker process: outbox relay and consumers."""

from __future__ import annotations

from trickle_click_ledger.consumers import consumers
from trickle_click_ledger.settings import Settings
from trickle_kit.batch_process import run_batch_process
from trickle_kit.worker import run_worker


def main() -> None:
    settings = Settings()
    # Relay and consumers move events in bulk: uvloop and the bulk GC settings (trickle_kit.batch_process).
    run_batch_process(run_worker(settings, lambda engine, sessions: consumers(settings, engine, sessions)))


if __name__ == "__main__":
    main()
