"""Where a process's metrics are scraped: a worker on its ``metrics_port``; several API processes
of ``trickle_kit.serve`` together on their one port (prometheus-client's multiprocess mode)."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from trickle_kit.metrics import MULTIPROC_ENV, exposition
from trickle_kit.settings import DEFAULT_PG, KitSettings
from trickle_kit.testing import EVENTUAL_S, wait_until
from trickle_kit.worker import run_worker

APP = """
import os

from fastapi import APIRouter
from trickle_kit.app import create_app
from trickle_kit.settings import KitSettings

router = APIRouter()


@router.get("/pid")
async def pid() -> int:
    return os.getpid()


app = create_app(KitSettings(log_json=False, rate_limit_enabled=False), title="pids", routers=[router])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str) -> str | None:
    """The body of a GET on a new connection (None while nothing listens). No short time-out: a
    request given up on while a busy machine starts a process would still be counted by it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=EVENTUAL_S)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode()
    except OSError:
        return None
    finally:
        conn.close()


def requests_counted(scrape: str, route: str) -> float:
    return sum(
        s.value
        for family in text_string_to_metric_families(scrape)
        for s in family.samples
        if s.name == "trickle_http_requests_total" and s.labels.get("route") == route
    )


def test_one_scrape_of_a_served_port_counts_the_requests_of_every_process(tmp_path: Path) -> None:
    (tmp_path / "pid_api.py").write_text(APP)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    command = [sys.executable, "-m", "trickle_kit.serve", "pid_api:app", "--port", str(port), "--workers", "2"]
    options = ["--app-dir", str(tmp_path), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen([*command, *options], env=env, start_new_session=True)
    try:
        pids: set[str] = set()
        sent = 0
        deadline = time.monotonic() + EVENTUAL_S
        while len(pids) < 2:  # new connections until both processes have answered some
            assert time.monotonic() < deadline, f"only {pids} answered"
            answer = get(port, "/pid")
            if answer is None:
                time.sleep(0.2)
                continue
            pids.add(answer)
            sent += 1
        # Not only the answering process's share (which is below ``sent``: both processes answered).
        # At least, not exactly: a request whose answer was lost on a busy machine (None above) was
        # still counted by the process that got it. Scraped until then: a process counts a request
        # once its answer is sent, so the last one may be counted just after the client has it.
        counted = 0.0
        while time.monotonic() < deadline + EVENTUAL_S:
            scrape = get(port, "/metrics")
            counted = requests_counted(scrape, "/pid") if scrape is not None else 0.0
            if counted >= sent:
                break
            time.sleep(0.1)
        assert counted >= sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def test_a_scrape_leaves_out_a_metrics_file_another_process_has_not_sized_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process creates its file for a metric type before it sizes it: a scrape in between read an
    empty file and answered 500 for every process's metrics (prometheus/client_python#1199)."""
    probe = "from prometheus_client import Counter; Counter('trickle_probe', 'A probe').inc(3)"
    subprocess.run([sys.executable, "-c", probe], env={**os.environ, MULTIPROC_ENV: str(tmp_path)}, check=True)
    (tmp_path / "counter_4242424.db").touch()  # another process's file: created, not yet sized
    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path))

    body, _ = exposition()

    assert "trickle_probe_total 3.0" in body.decode()


async def test_a_worker_serves_metrics_on_its_port_only_when_given_one() -> None:
    port = free_port()
    settings = KitSettings(
        service_name="metrics-worker", database_url=f"{DEFAULT_PG}/postgres", log_json=False, metrics_port=port
    )
    worker = asyncio.create_task(run_worker(settings, lambda engine, sessions: [], relay=False))

    def scrape() -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
                return str(r.read().decode())
        except OSError:
            return None

    async def serving() -> bool:
        return worker.done() or await asyncio.to_thread(scrape) is not None

    try:
        await wait_until(serving)
        assert not worker.done(), worker
        text = await asyncio.to_thread(scrape)
        assert text is not None and "trickle_outbox_published_total" in text and "trickle_consumer_lag" in text
    finally:
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
    assert await asyncio.to_thread(scrape) is None  # the port closes with the worker
    assert KitSettings().metrics_port == 0  # by default a worker opens no port
