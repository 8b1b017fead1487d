"""Named points of a close run where a test may interrupt it.

A close run passes ``shard_leased`` when it has leased a shard, ``before_posting``,
``events_staged`` and ``entries_posted`` inside each batch's transaction, ``batch_committed``
after it, ``shard_done`` in the transaction marking a shard done, and ``finish`` in the
period's last transaction.
Production installs nothing (a no-op); the crash tests install a hook that kills the process
at one of them (``trickle_settlement_testing.crashing_close``).
"""

from __future__ import annotations

from collections.abc import Callable

Hook = Callable[[str], None]

POINTS = (
    "shard_leased",
    "before_posting",
    "events_staged",
    "entries_posted",
    "batch_committed",
    "shard_done",
    "finish",
)

_hook: Hook | None = None


def install(hook: Hook | None) -> None:
    """Call ``hook(point)`` at every checkpoint from now on (None: stop)."""
    global _hook
    _hook = hook


def reached(point: str) -> None:
    if _hook is not None:
        _hook(point)
