"""Settlement worker process: outbox relay and consumers."""

from __future__ import annotations

from trickle_kit.batch_process import run_batch_process
from trickle_kit.worker import run_worker
from trickle_settlement.consumers import consumers
from trickle_settlement.settings import Settings


def main() -> None:
    settings = Settings()
    # The worker runs period closes (close/runner.py): the bulk process's loop and GC settings.
    run_batch_process(run_worker(settings, lambda engine, sessions: consumers(settings, engine, sessions)))


if __name__ == "__main__":
    main()
