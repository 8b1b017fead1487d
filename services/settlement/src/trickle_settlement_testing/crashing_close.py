"""The close CLI with a kill hook installed: ``python -m trickle_settlement_testing.crashing_close --kill-at N run …``.

``--kill-at n`` SIGKILLs the process at the n-th checkpoint it passes, ``--kill-at <point>:n`` at
the n-th pass of that point (``trickle_settlement.close.checkpoints.POINTS``). The other
arguments are the close CLI's (``python -m trickle_settlement.close``).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from trickle_settlement.close import checkpoints
from trickle_settlement.close.__main__ import main as close_main


def kill_hook(spec: str) -> checkpoints.Hook:
    """A checkpoint hook that SIGKILLs this process at the checkpoint ``spec`` names (``n`` or ``point:n``)."""
    point, _, nth = spec.rpartition(":")
    if point and point not in checkpoints.POINTS:
        raise ValueError(f"unknown checkpoint {point!r}; one of {checkpoints.POINTS}")
    target = int(nth)
    seen = 0

    def hook(name: str) -> None:
        nonlocal seen
        if point and point != name:
            return
        seen += 1
        if seen == target:
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m trickle_settlement_testing.crashing_close", add_help=False)
    parser.add_argument("--kill-at", default=None)
    known, rest = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if known.kill_at:
        checkpoints.install(kill_hook(known.kill_at))
    close_main(rest)


if __name__ == "__main__":
    main()
