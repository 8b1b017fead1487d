"""trickle_kit.serve: processes with their own SO_REUSEPORT sockets share connections, replace
a dead process, and stop together (real processes on a real port)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from trickle_kit.serve import parse

APP = """
import os

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": str(os.getpid()).encode()})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pid_answering(port: int) -> int | None:
    """The pid of the process that answers a request on a new connection (None if none does)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/")
        return int(conn.getresponse().read())
    except OSError:
        return None
    finally:
        conn.close()


def wait_for(port: int, want: int, timeout_s: float = 30) -> set[int]:
    """Poll new connections until ``want`` different processes have answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout_s
    while len(seen) < want and time.monotonic() < deadline:
        pid = pid_answering(port)
        if pid is None:
            time.sleep(0.2)
        else:
            seen.add(pid)
    return seen


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    (tmp_path / "pid_app.py").write_text(APP)
    port = free_port()
    command = [sys.executable, "-m", "trickle_kit.serve", "pid_app:app", "--port", str(port), "--workers", "2"]
    options = ["--app-dir", str(tmp_path), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen([*command, *options], start_new_session=True)
    try:
        assert len(wait_for(port, 2)) == 2, "two processes should answer"
        yield proc, port
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def test_new_connections_are_spread_over_every_process(served: tuple[subprocess.Popen[bytes], int]) -> None:
    _, port = served
    answered = Counter(pid_answering(port) for _ in range(60))
    assert None not in answered and len(answered) == 2
    # The kernel hashes each connection to a socket: about 30 each (below 12 is p < 1e-4).
    assert min(answered.values()) >= 12, answered


def test_a_dead_process_is_replaced(served: tuple[subprocess.Popen[bytes], int]) -> None:
    _, port = served
    first = wait_for(port, 2)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    later = wait_for(port, 2)
    assert victim not in later and len(later) == 2  # a new process took its place


def test_sigterm_stops_every_process_and_frees_the_port(served: tuple[subprocess.Popen[bytes], int]) -> None:
    proc, port = served
    children = wait_for(port, 2)
    proc.send_signal(signal.SIGTERM)  # to the parent only
    assert proc.wait(30) == 0
    for pid in children:
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(pid), f"worker {pid} outlived its parent"
    assert pid_answering(port) is None


def test_workers_stop_when_their_parent_is_killed(served: tuple[subprocess.Popen[bytes], int]) -> None:
    proc, port = served
    children = wait_for(port, 2)
    os.kill(proc.pid, signal.SIGKILL)  # no chance to forward anything
    proc.wait(10)
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in children), "orphaned workers kept serving"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_command_line_refuses_zero_workers() -> None:
    assert parse(["m:app", "--workers", "3"]).workers == 3
    with pytest.raises(SystemExit):
        parse(["m:app", "--workers", "0"])
