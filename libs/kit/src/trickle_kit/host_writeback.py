"""The host's write-back of dirty page cache, read, and set the way a database host sets it.

    python -m trickle_kit.host_writeback          # what this host does now

With the kernel's defaults the page cache is written back once 10 % of memory is dirty or
when dirty pages are 30 s old (``vm.dirty_background_ratio``, ``vm.dirty_expire_centisecs``).
A host that runs PostgreSQL and Kafka under write load then writes everything back in one go
every 30 s, and the WAL's ``fdatasync`` waits behind it: on the bench machine every click batch
stalled for 40-80 ms each time (docs/benchmarks.md, "clicks, twelfth session"). A database
host sets ``vm.dirty_background_bytes`` to tens of MB instead, so that the kernel writes back
continuously (docs/scaling.md). ``continuous`` does that for the length of a ``with`` block
(``make bench-clicks``) and puts back what was there; it needs root, and says so otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VM = Path("/proc/sys/vm")
DATABASE_HOST_BYTES = 32 * 2**20  # removed the bursts of a 60 s bench run on the bench machine


@dataclass(frozen=True, slots=True)
class WriteBack:
    """The three settings: the kernel uses ``background_bytes`` when it is set, else ``background_ratio``."""

    background_bytes: int
    background_ratio: int
    expire_centisecs: int

    def describe(self) -> str:
        threshold = (
            f"{self.background_bytes / 2**20:g} MiB"
            if self.background_bytes
            else f"{self.background_ratio} % of memory"
        )
        return f"host write-back from {threshold} dirty or after {self.expire_centisecs / 100:g} s"


def read(vm: Path = VM) -> WriteBack | None:
    """The host's settings, or None where they cannot be read (not Linux, no /proc)."""
    try:
        return WriteBack(
            int((vm / "dirty_background_bytes").read_text()),
            int((vm / "dirty_background_ratio").read_text()),
            int((vm / "dirty_expire_centisecs").read_text()),
        )
    except (OSError, ValueError):
        return None


@contextmanager
def continuous(background_bytes: int = DATABASE_HOST_BYTES, vm: Path = VM) -> Iterator[str]:
    """Inside, the kernel writes back once ``background_bytes`` are dirty; on the way out the setting
    before is put back (bytes or ratio, whichever was in use). Yields a line saying what was done:
    ``background_bytes`` 0, a host whose settings cannot be read, or a process that may not write
    them (not root) leave the host as it is, and the line says that too."""
    before = read(vm)
    if before is None:
        yield "host write-back unknown, left as it is"
        return
    if background_bytes <= 0:
        yield f"{before.describe()}, left as it is"
        return
    try:
        (vm / "dirty_background_bytes").write_text(str(background_bytes))
    except OSError as exc:
        yield f"{before.describe()}, left as it is (setting it needs root: {exc.strerror})"
        return
    try:
        now = read(vm) or before
        yield f"{now.describe()}, set for this run (was {before.describe().removeprefix('host write-back ')})"
    finally:
        _restore(before, vm)


def _restore(before: WriteBack, vm: Path) -> None:
    # Writing one of the pair sets the other to 0 in the kernel: write back the one that was in use.
    if before.background_bytes:
        (vm / "dirty_background_bytes").write_text(str(before.background_bytes))
    else:
        (vm / "dirty_background_ratio").write_text(str(before.background_ratio))


if __name__ == "__main__":
    current = read()
    print(current.describe() if current else "host write-back unknown")
