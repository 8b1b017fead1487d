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

The kernel keeps one of ``dirty_background_bytes`` and ``dirty_background_ratio``: writing one
sets the other to 0, and it refuses 0 bytes. So the setting before is put back by writing the
one that was in use. Signals are held while either is written, so that a Ctrl-C or a SIGTERM
(which the bench turns into an exit) cannot fall between a change and its record; a process
killed outright (SIGKILL) leaves the host as set, and says nothing: ``read`` shows it.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VM = Path("/proc/sys/vm")
DATABASE_HOST_BYTES = 32 * 2**20  # removed the bursts of a 60 s bench run on the bench machine
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


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
    """Inside, the kernel writes back once ``background_bytes`` are dirty; on the way out (an error,
    an exit, Ctrl-C included) the setting before is put back, if the host still has what was set
    here (another run, or an administrator, may have changed it since: theirs is then kept).

    Yields a line saying what was done. ``background_bytes`` 0, a host whose settings cannot be
    read, or a process that may not write them (not root) leave the host as it is, and the line
    says that too. A restore that fails is reported on stderr with the command that does it."""
    before = read(vm)
    if before is None:
        yield "host write-back unknown, left as it is"
        return
    if background_bytes <= 0:
        yield f"{before.describe()}, left as it is"
        return
    refused: OSError | None = None
    changed = False
    try:
        with _signals_held():
            try:
                (vm / "dirty_background_bytes").write_text(str(background_bytes))
                changed = True
            except OSError as exc:
                refused = exc
        if refused is not None:
            yield f"{before.describe()}, left as it is ({_why(refused)})"
            return
        now = read(vm) or WriteBack(background_bytes, 0, before.expire_centisecs)
        yield f"{now.describe()}, set for this run (was {before.describe().removeprefix('host write-back ')})"
    finally:
        if changed:
            _restore(before, background_bytes, vm)


def _why(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"setting it needs root: {error.strerror}"
    return f"it could not be set: {error.strerror}"


def _restore(before: WriteBack, set_bytes: int, vm: Path) -> None:
    """Write back the one of the pair that was in use (writing it sets the other to 0)."""
    name, value = (
        ("dirty_background_bytes", before.background_bytes)
        if before.background_bytes
        else ("dirty_background_ratio", before.background_ratio)
    )
    now = read(vm)
    if now is None or now.background_bytes != set_bytes or now.background_ratio != 0:
        print(
            f"host write-back changed by someone else during the run, left as it is: {now.describe() if now else '?'}"
            f" (it was {before.describe()}: sysctl -w vm.{name}={value})",
            file=sys.stderr,
        )
        return
    try:
        with _signals_held():
            (vm / name).write_text(str(value))
    except OSError as exc:
        print(
            f"host write-back NOT put back ({exc.strerror}): it is {now.describe()}; "
            f"restore it with sysctl -w vm.{name}={value}",
            file=sys.stderr,
        )


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block is over (only the main thread can hold them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


if __name__ == "__main__":
    current = read()
    print(current.describe() if current else "host write-back unknown")
