#!/usr/bin/env python3
"""Prove that `make run` works: start it, wait until every service's /readyz answers 200,
report, and stop everything again.

    python3 deploy/local/run_probe.py [--timeout 180] [--free-ports] [--settle 2] [--log PATH]
    make run-probe [PROBE_ARGS=--free-ports]

`make run` installs what is missing, starts PostgreSQL and Kafka, migrates, and runs every
API and worker under honcho (deploy/local/Procfile). The APIs listen on the ports of
TRICKLE_WALLET_PORT, TRICKLE_CLICK_LEDGER_PORT, TRICKLE_SETTLEMENT_PORT,
TRICKLE_WEBHOOK_PORT and TRICKLE_WEB_PORT (8101-8105 by default); `--free-ports` picks unused ones instead, so the
probe can run next to a `make run` that is already up. Everything else in the environment
(database URLs, TRICKLE_TOPIC_PREFIX...) passes through to the services.

Ready means: every /readyz answered 200 and, `--settle` seconds later, honcho still runs
(honcho stops everything as soon as one process exits, so a worker that crashes on start
shows up here). Then the probe sends SIGINT to the process group of `make run` (what Ctrl-C
does), and escalates to SIGTERM / SIGKILL if it does not stop.

Exit 0 when ready, 1 otherwise: the report names each service that did not get ready, its
last /readyz answer, and the tail of its (and its worker's) log lines. Standard library only,
so it runs on a fresh clone before `.venv` exists.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# (honcho process name, environment variable of its port, default port)
SERVICES = [
    ("wallet", "TRICKLE_WALLET_PORT", 8101),
    ("click_ledger", "TRICKLE_CLICK_LEDGER_PORT", 8102),
    ("settlement", "TRICKLE_SETTLEMENT_PORT", 8103),
    ("webhook", "TRICKLE_WEBHOOK_PORT", 8104),
    ("web", "TRICKLE_WEB_PORT", 8105),
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HONCHO_LINE = re.compile(r"^\d\d:\d\d:\d\d (\S+?)(?:\.\d+)?\s+\| ")
HONCHO_PID = re.compile(r"\| (\S+?)\.\d+ started \(pid=(\d+)\)")
HONCHO_STOPPED = re.compile(r"\| (\S+?)\.\d+ stopped \(rc=(-?\d+)\)")
# The workers' /metrics ports (the Makefile's defaults are 9101-9104).
WORKER_METRICS_PORTS = (
    "TRICKLE_WALLET_METRICS_PORT",
    "TRICKLE_CLICK_LEDGER_METRICS_PORT",
    "TRICKLE_SETTLEMENT_METRICS_PORT",
    "TRICKLE_WEBHOOK_METRICS_PORT",
)


def say(msg: str) -> None:
    print(f"[run-probe] {msg}", flush=True)


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def readyz(port: int) -> tuple[int | None, str]:
    """(HTTP status or None, short description) of GET /readyz."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as r:
            return r.status, r.read(300).decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read(300).decode("utf-8", "replace")
    except (OSError, ValueError) as e:
        return None, f"{type(e).__name__}: {getattr(e, 'reason', e)}"


def log_lines(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [ANSI.sub("", line) for line in log.read_text("utf-8", "replace").splitlines()]


def tail_of(lines: list[str], names: set[str], n: int = 30) -> list[str]:
    picked = [line for line in lines if (m := HONCHO_LINE.match(line)) and m.group(1) in names]
    return picked[-n:]


def child_pids(lines: list[str]) -> list[int]:
    return [int(m.group(2)) for line in lines if (m := HONCHO_PID.search(line))]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop(proc: subprocess.Popen[bytes], log: Path) -> None:
    """Ctrl-C the process group of `make run`; escalate if it hangs; reap honcho's children."""
    for sig, wait_s in ((signal.SIGINT, 30.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        if proc.poll() is not None:
            break
        say(f"stopping make run (SIG{sig.name[3:]} to process group {proc.pid})")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait_s)
    # honcho runs each process in its own session: make sure none outlived it.
    leftovers = [pid for pid in child_pids(log_lines(log)) if alive(pid)]
    for pid in leftovers:
        say(f"process {pid} outlived honcho: SIGKILL to its group")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for all /readyz (default 180)")
    ap.add_argument("--free-ports", action="store_true", help="run the APIs on unused ports instead of 8101-8105")
    ap.add_argument("--settle", type=float, default=2.0, help="seconds honcho must keep running once all are ready")
    ap.add_argument("--log", type=Path, default=REPO / "var" / "run-probe" / "make-run.log")
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    if args.free_ports:
        # The workers' /metrics ports too (9101-9104 by default): all picked at once, so all differ.
        variables = [var for _, var, _ in SERVICES] + list(WORKER_METRICS_PORTS)
        for var, port in zip(variables, free_ports(len(variables)), strict=True):
            env[var] = str(port)
    ports = {name: int(env.get(var, default)) for name, var, default in SERVICES}
    busy = [f"{name}:{port}" for name, port in ports.items() if port_in_use(port)]
    if busy:
        say(f"FAIL: already in use: {', '.join(busy)} (a make run already up? try --free-ports)")
        return 1

    args.log.parent.mkdir(parents=True, exist_ok=True)
    say(f"starting `make run` (log {args.log}); ports {ports}")
    started = time.monotonic()
    with args.log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole below
        )
    last: dict[str, tuple[int | None, str]] = {name: (None, "not asked yet") for name in ports}
    ready: dict[str, float] = {}
    failure = ""
    try:
        deadline = started + args.timeout
        while len(ready) < len(ports):
            if proc.poll() is not None:
                failure = f"make run exited with code {proc.returncode} before every service was ready"
                break
            if time.monotonic() > deadline:
                failure = f"not every service was ready within {args.timeout:.0f} s"
                break
            for name, port in ports.items():
                if name not in ready:
                    last[name] = readyz(port)
                    if last[name][0] == 200:
                        ready[name] = time.monotonic() - started
                        say(f"{name} ready on http://127.0.0.1:{port} after {ready[name]:.1f} s")
            if len(ready) < len(ports):
                time.sleep(0.5)
        if not failure:
            try:
                proc.wait(timeout=args.settle)
                failure = f"make run exited with code {proc.returncode} {args.settle:.0f} s after all were ready"
            except subprocess.TimeoutExpired:
                pass  # still running: good
    finally:
        before_stop = len(log_lines(args.log))  # what happened before the probe's own signals
        stop(proc, args.log)

    lines = log_lines(args.log)
    if not failure:
        say(f"OK: all {len(ports)} services answered /readyz 200 within {max(ready.values()):.1f} s; stopped")
        return 0

    say(f"FAIL: {failure}")
    for name, port in ports.items():
        if name in ready:
            say(f"  {name:<13} ready   (http://127.0.0.1:{port})")
            continue
        status, detail = last[name]
        say(f"  {name:<13} NOT READY (http://127.0.0.1:{port}/readyz -> {status or 'no answer'}: {detail.strip()})")
    stopped = [(m.group(1), int(m.group(2))) for line in lines[:before_stop] if (m := HONCHO_STOPPED.search(line))]
    if stopped:  # honcho stops all the others once one exits: the first is the culprit
        say(f"first process to exit on its own: {stopped[0][0]} (rc={stopped[0][1]})")
    suspects = {n for n in ports if n not in ready}
    if stopped:
        suspects.add(stopped[0][0].removesuffix("_worker"))
    for name in sorted(suspects):
        tail = tail_of(lines, {name, f"{name}_worker"})
        if tail:
            say(f"--- last log lines of {name} and {name}_worker ---")
            print("\n".join(tail), flush=True)
    if not any(HONCHO_LINE.match(line) for line in lines):  # make failed before honcho started
        say(f"--- tail of {args.log} ---")
        print("\n".join(lines[-40:]), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
