"""host_writeback.continuous: the write-back threshold set inside, the setting before put back after
(errors, exits and Ctrl-C included), and the host left alone where it cannot be set or was changed
by someone else meanwhile; on a copy of /proc/sys/vm's three files that behaves as the kernel does."""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from trickle_kit.host_writeback import WriteBack, _signals_held, continuous, read

MIB = 2**20


class FakeKernel:
    """/proc/sys/vm's write-back files: writing one of bytes/ratio zeroes the other, 0 bytes is refused,
    and ``refuse`` (an errno) refuses every write, as the kernel does for a non-root writer."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, background_bytes: int, ratio: int) -> None:
        self.vm = tmp_path / "vm"
        self.vm.mkdir()
        (self.vm / "dirty_background_bytes").write_text(f"{background_bytes}\n")
        (self.vm / "dirty_background_ratio").write_text(f"{ratio}\n")
        (self.vm / "dirty_expire_centisecs").write_text("3000\n")
        self.writes: list[tuple[str, str]] = []
        self.refuse: int | None = None
        original = Path.write_text
        kernel = self

        def write_text(path: Path, data: str, *args: Any, **kwargs: Any) -> int:
            if path.parent != kernel.vm:
                return original(path, data, *args, **kwargs)
            if kernel.refuse is not None:
                raise OSError(kernel.refuse, os.strerror(kernel.refuse))
            if path.name == "dirty_background_bytes" and int(data) == 0:
                raise OSError(errno.EINVAL, "Invalid argument")
            kernel.writes.append((path.name, data))
            other = {
                "dirty_background_bytes": "dirty_background_ratio",
                "dirty_background_ratio": "dirty_background_bytes",
            }
            if path.name in other:
                original(kernel.vm / other[path.name], "0\n")
            return original(path, data + "\n")

        monkeypatch.setattr(Path, "write_text", write_text)

    def now(self) -> WriteBack | None:
        return read(self.vm)


@pytest.fixture
def ratio_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeKernel:
    return FakeKernel(tmp_path, monkeypatch, 0, 10)


def test_a_ratio_host_gets_the_bytes_inside_and_its_ratio_back(ratio_host: FakeKernel) -> None:
    with continuous(32 * MIB, ratio_host.vm) as said:
        assert ratio_host.now() == WriteBack(32 * MIB, 0, 3000)
    assert said == (
        "host write-back from 32 MiB dirty or after 30 s, set for this run"
        " (was from 10 % of memory dirty or after 30 s)"
    )
    assert ratio_host.now() == WriteBack(0, 10, 3000)
    assert ratio_host.writes == [("dirty_background_bytes", str(32 * MIB)), ("dirty_background_ratio", "10")]


def test_a_bytes_host_gets_its_own_bytes_back_also_after_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = FakeKernel(tmp_path, monkeypatch, 64 * MIB, 0)
    with pytest.raises(RuntimeError), continuous(16 * MIB, host.vm) as said:
        assert host.now() == WriteBack(16 * MIB, 0, 3000)
        raise RuntimeError("the run failed")
    assert said.endswith("(was from 64 MiB dirty or after 30 s)")
    assert host.now() == WriteBack(64 * MIB, 0, 3000)
    assert host.writes == [("dirty_background_bytes", str(16 * MIB)), ("dirty_background_bytes", str(64 * MIB))]


@pytest.mark.parametrize("stop", [SystemExit(143), KeyboardInterrupt()], ids=["sigterm-exit", "ctrl-c"])
def test_an_exit_or_a_ctrl_c_inside_puts_it_back(ratio_host: FakeKernel, stop: BaseException) -> None:
    with pytest.raises(type(stop)), continuous(32 * MIB, ratio_host.vm):
        raise stop
    assert ratio_host.now() == WriteBack(0, 10, 3000)


def test_zero_leaves_the_host_as_it_is(ratio_host: FakeKernel) -> None:
    with continuous(0, ratio_host.vm) as said:
        assert ratio_host.now() == WriteBack(0, 10, 3000)
    assert said == "host write-back from 10 % of memory dirty or after 30 s, left as it is"
    assert ratio_host.writes == []


def test_a_host_whose_settings_cannot_be_read_is_left_as_it_is(ratio_host: FakeKernel) -> None:
    (ratio_host.vm / "dirty_background_bytes").unlink()
    (ratio_host.vm / "dirty_background_bytes").mkdir()  # as on a host without /proc/sys/vm
    with continuous(32 * MIB, ratio_host.vm) as said:
        pass
    assert said == "host write-back unknown, left as it is"
    assert ratio_host.writes == []


@pytest.mark.parametrize(
    ("refused", "why"),
    [
        (errno.EACCES, "setting it needs root: Permission denied"),
        (errno.EROFS, "it could not be set: Read-only file system"),
    ],
)
def test_a_refused_write_leaves_the_host_as_it_is_and_says_why(ratio_host: FakeKernel, refused: int, why: str) -> None:
    ratio_host.refuse = refused
    with pytest.raises(RuntimeError) as raised, continuous(32 * MIB, ratio_host.vm) as said:
        raise RuntimeError("the run failed")
    assert said.startswith(f"host write-back from 10 % of memory dirty or after 30 s, left as it is ({why}")
    assert raised.value.__context__ is None  # the refusal is not chained to the run's own error
    assert ratio_host.now() == WriteBack(0, 10, 3000)


def test_a_setting_changed_by_someone_else_meanwhile_is_kept(
    ratio_host: FakeKernel, capsys: pytest.CaptureFixture[str]
) -> None:
    with continuous(32 * MIB, ratio_host.vm):
        (ratio_host.vm / "dirty_background_ratio").write_text("5")  # another run, an administrator
    assert ratio_host.now() == WriteBack(0, 5, 3000)
    assert "changed by someone else during the run, left as it is" in capsys.readouterr().err


def test_a_restore_that_fails_says_how_to_do_it(ratio_host: FakeKernel, capsys: pytest.CaptureFixture[str]) -> None:
    with continuous(32 * MIB, ratio_host.vm):
        ratio_host.refuse = errno.EACCES
    assert ratio_host.now() == WriteBack(32 * MIB, 0, 3000)
    assert "NOT put back" in (err := capsys.readouterr().err)
    assert "sysctl -w vm.dirty_background_ratio=10" in err


def test_signals_wait_while_a_setting_is_written() -> None:
    with _signals_held():
        assert {signal.SIGINT, signal.SIGTERM, signal.SIGHUP} <= signal.pthread_sigmask(signal.SIG_BLOCK, [])
    assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
