"""Serve an ASGI app from several processes, each with its own listening socket (SO_REUSEPORT).

    python -m trickle_kit.serve trickle_click_ledger.app:app --port 8102 --workers 2

X-Forwarded-For is believed from ``--forwarded-allow-ips`` only (default 127.0.0.1: a gateway
on this machine), whatever ``FORWARDED_ALLOW_IPS`` the environment holds.

Why not ``uvicorn --workers N``: there the processes share one listening socket and whichever
wakes first accepts a burst of connections, so a client with a few long-lived keep-alive
connections (a gateway, a load generator) can land 44 on one process and 20 on the other;
the busier one sets the tail latency. Here every process binds its own socket with
SO_REUSEPORT and the kernel spreads new connections over them by hash. A process that dies
is started again. Each response leaves in one write (``trickle_kit.coalesced_writes``, as the
deployments run uvicorn; ``--no-coalesce-writes`` for uvicorn's two). Metrics: the processes
share prometheus-client's multiprocess directory (``PROMETHEUS_MULTIPROC_DIR``; a fresh one
per run unless given), so a scrape of ``/metrics`` on the port, whichever process answers it,
reports all of them. SIGINT or SIGTERM to the
parent sends SIGTERM to every process, which finishes its requests and exits (uvicorn's
graceful shutdown); a process whose parent is gone (killed with SIGKILL) shuts itself down
the same way.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

RESTART_PAUSE_S = 1.0


def reuse_port_socket(host: str, port: int, backlog: int) -> socket.socket:
    """A listening TCP socket that other processes may bind to the same address too."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _serve_one(app: str, host: str, port: int, backlog: int, options: dict[str, Any], app_dir: str) -> None:
    if app_dir:
        sys.path.insert(0, app_dir)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    sock = reuse_port_socket(host, port, backlog)
    config = uvicorn.Config(app, host=host, port=port, backlog=backlog, **options)
    uvicorn.Server(config).run(sockets=[sock])


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m trickle_kit.serve", description=__doc__.split("\n")[0])
    parser.add_argument("app", help="module:attribute of the ASGI app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backlog", type=int, default=2048)
    parser.add_argument("--loop", default="auto", choices=["auto", "asyncio", "uvloop"])
    parser.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"])
    parser.add_argument(
        "--coalesce-writes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="send a response's status line, headers and body in one write (trickle_kit.coalesced_writes)",
    )
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--no-access-log", action="store_true")
    parser.add_argument(
        "--proxy-headers", action=argparse.BooleanOptionalAction, default=True, help="believe X-Forwarded-For/-Proto"
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="from which addresses (comma-separated addresses or networks): the gateway's only",
    )
    parser.add_argument("--app-dir", default="", help="put this folder first on sys.path to find the app")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    options = {
        "loop": args.loop,
        "http": http_protocol(args.http, coalesce=args.coalesce_writes),
        "log_level": args.log_level,
        "access_log": not args.no_access_log,
        "proxy_headers": args.proxy_headers,
        "forwarded_allow_ips": args.forwarded_allow_ips,
    }
    reuse_port_socket(args.host, args.port, args.backlog).close()  # fail here, once, if the port is taken
    metrics_dir = shared_metrics_dir()
    spawn = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        process = spawn.Process(
            target=_serve_one, args=(args.app, args.host, args.port, args.backlog, options, args.app_dir)
        )
        process.start()
        return process

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.is_alive():
                # SIGTERM, never SIGINT: a second SIGINT (Ctrl-C reaches the whole process group)
                # would make uvicorn drop its in-flight requests; a second SIGTERM changes nothing.
                process.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    processes = [start() for _ in range(args.workers)]
    while not stopping:
        for i, process in enumerate(processes):
            if not process.is_alive() and not stopping:
                print(f"serve: worker {process.pid} exited with {process.exitcode}; starting another", flush=True)
                forget_metrics_of(process.pid)
                time.sleep(RESTART_PAUSE_S)
                processes[i] = start()
        time.sleep(0.2)
    for process in processes:
        process.join(30)
        if process.is_alive():
            process.kill()
    if metrics_dir is not None:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def http_protocol(name: str, *, coalesce: bool) -> str:
    """uvicorn's ``http`` option: ``name``'s protocol, or its coalescing one from trickle_kit.coalesced_writes."""
    if not coalesce:
        return name
    if name == "auto":
        try:
            import httptools  # noqa: F401
        except ImportError:
            name = "h11"
        else:
            name = "httptools"
    return "trickle_kit.coalesced_writes:" + ("HttpToolsProtocol" if name == "httptools" else "H11Protocol")


def shared_metrics_dir() -> str | None:
    """Turn on prometheus-client's multiprocess mode for the processes about to start: a fresh
    directory (returned, removed at the end) unless the environment names one (kept)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return None
    path = tempfile.mkdtemp(prefix="trickle-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path  # the spawned processes inherit it before any import
    return path


def forget_metrics_of(pid: int | None) -> None:
    """A dead process's live gauges leave the scrape (its counters stay: they still count)."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path and pid is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, path)  # type: ignore[no-untyped-call]


if __name__ == "__main__":
    main()
