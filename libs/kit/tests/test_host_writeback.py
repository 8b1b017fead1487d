"""host_writeback.continuous: the write-back threshold set inside, the setting before put back after,
and the host left alone where it cannot be set; on a copy of /proc/sys/vm's three files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from trickle_kit.host_writeback import WriteBack, continuous, read


def fake_vm(tmp_path: Path, background_bytes: int, ratio: int, expire: int = 3000) -> Path:
    vm = tmp_path / "vm"
    vm.mkdir()
    (vm / "dirty_background_bytes").write_text(f"{background_bytes}\n")
    (vm / "dirty_background_ratio").write_text(f"{ratio}\n")
    (vm / "dirty_expire_centisecs").write_text(f"{expire}\n")
    return vm


def test_a_ratio_host_gets_the_bytes_inside_and_its_ratio_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vm = fake_vm(tmp_path, 0, 10)
    writes: list[tuple[str, str]] = []
    original_write = Path.write_text

    def recorded(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        writes.append((self.name, data))
        return original_write(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", recorded)
    with continuous(32 * 2**20, vm) as said:
        assert (vm / "dirty_background_bytes").read_text() == str(32 * 2**20)
        assert said.startswith("host write-back from 32 MiB dirty or after 30 s, set for this run")
        assert said.endswith("(was from 10 % of memory dirty or after 30 s)")
    # The kernel zeroes one of the pair when the other is written: the ratio written back restores it.
    assert writes == [("dirty_background_bytes", str(32 * 2**20)), ("dirty_background_ratio", "10")]


def test_a_bytes_host_gets_its_own_bytes_back_also_after_an_error(tmp_path: Path) -> None:
    vm = fake_vm(tmp_path, 64 * 2**20, 0)
    with pytest.raises(RuntimeError), continuous(16 * 2**20, vm):
        assert read(vm) == WriteBack(16 * 2**20, 0, 3000)
        raise RuntimeError("the run failed")
    assert read(vm) == WriteBack(64 * 2**20, 0, 3000)


def test_zero_leaves_the_host_as_it_is(tmp_path: Path) -> None:
    vm = fake_vm(tmp_path, 0, 10)
    with continuous(0, vm) as said:
        assert read(vm) == WriteBack(0, 10, 3000)
    assert said == "host write-back from 10 % of memory dirty or after 30 s, left as it is"


def test_a_host_whose_settings_cannot_be_read_is_left_as_it_is(tmp_path: Path) -> None:
    vm = fake_vm(tmp_path, 0, 10)
    (vm / "dirty_background_bytes").unlink()
    (vm / "dirty_background_bytes").mkdir()  # neither read nor written, as on a host without /proc/sys/vm
    assert read(vm) is None
    with continuous(32 * 2**20, vm) as said:
        pass
    assert said == "host write-back unknown, left as it is"


def test_a_process_that_may_not_set_it_leaves_the_host_as_it_is_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vm = fake_vm(tmp_path, 0, 10)
    original_write = Path.write_text

    def refused(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        if self.parent == vm:  # the kernel refuses a non-root writer (root writes a read-only file anyway)
            raise PermissionError(13, "Permission denied")
        return original_write(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refused)
    with continuous(32 * 2**20, vm) as said:
        assert read(vm) == WriteBack(0, 10, 3000)
    assert said == (
        "host write-back from 10 % of memory dirty or after 30 s, left as it is"
        " (setting it needs root: Permission denied)"
    )
