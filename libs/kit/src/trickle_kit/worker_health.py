"""A worker's liveness and readiness, for probes that cannot speak HTTP to it: a heartbeat file.

The worker has no port of its own (at most a metrics port, ``trickle_kit.metrics``). While it
runs, ``Heartbeat.run`` rewrites a small JSON file every ``interval_s`` seconds: when (wall
clock) and whether its database answered ``SELECT 1``.
A probe runs ``python -m trickle_kit.worker_health SERVICE [--ready] [--max-age S]``:

- live (default): the file was written in the last ``max_age`` seconds, so the event loop
  turns (a loop blocked or wedged stops writing it; a crashed task ends the process anyway);
- ``--ready``: live, and the database answered at that last beat.

The file lives in the temporary directory (an emptyDir on Kubernetes), one per service.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the probe command imports this module every few seconds: keep it light
    from sqlalchemy.ext.asyncio import AsyncEngine

DEFAULT_INTERVAL_S = 10.0
DEFAULT_MAX_AGE_S = 60.0


def heartbeat_path(service_name: str) -> Path:
    """Where the worker of ``service_name`` writes its heartbeat."""
    return Path(tempfile.gettempdir()) / f"trickle-{service_name}-worker.heartbeat"


class Heartbeat:
    """A worker task: writes the heartbeat file until ``stop`` is set, then removes it."""

    def __init__(self, engine: AsyncEngine, path: Path, *, interval_s: float = DEFAULT_INTERVAL_S) -> None:
        self.engine = engine
        self.path = path
        self.interval_s = interval_s

    async def database_ok(self) -> bool:
        """``SELECT 1`` answered within 3 s, connecting included (a silent host would else
        hold the beat for asyncpg's 60 s connect timeout and fail liveness, not readiness)."""
        from sqlalchemy import text

        async def select_one() -> None:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(select_one(), 3)
            return True
        except Exception:
            return False

    def write(self, database: bool) -> None:
        """Replace the file atomically, so a probe never reads half of it."""
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps({"at": time.time(), "database": database}))
        os.replace(partial, self.path)

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                self.write(await self.database_ok())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.interval_s)
        finally:
            self.path.unlink(missing_ok=True)


def check(path: Path, *, ready: bool, max_age_s: float, now: float | None = None) -> str | None:
    """None when the heartbeat says live (and ready, if asked); else why not."""
    try:
        beat = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        return f"no heartbeat at {path}: {exc}"
    age = (time.time() if now is None else now) - float(beat["at"])
    if age > max_age_s:
        return f"heartbeat {age:.0f} s old (more than {max_age_s:.0f} s)"
    if ready and not beat.get("database"):
        return "the database did not answer at the last heartbeat"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trickle_kit.worker_health", description=__doc__.split("\n")[0])
    parser.add_argument("service", help="the worker's service name (its settings' service_name)")
    parser.add_argument("--ready", action="store_true", help="also require the database at the last beat")
    parser.add_argument("--max-age", type=float, default=DEFAULT_MAX_AGE_S, help="seconds (default %(default)s)")
    args = parser.parse_args(argv)
    problem = check(heartbeat_path(args.service), ready=args.ready, max_age_s=args.max_age)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
