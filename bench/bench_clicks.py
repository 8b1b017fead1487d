"""POST /v1/clicks under load from wrk, against a bare FastAPI endpoint served the same way.

    make bench-clicks            (BENCH_DURATION=60 seconds by default; BENCH_DURATION=5 for a smoke check)

The click-ledger runs in BENCH_WORKERS uvicorn processes (uvloop + httptools) started by
``python -m trickle_kit.serve``, each with its own SO_REUSEPORT socket so that wrk's
connections are spread evenly (``BENCH_SERVER=uvicorn`` uses ``uvicorn --workers``, whose
shared socket let one process take 44 of 64 connections), each response sent in one write as
the deployments send it (``trickle_kit.coalesced_writes``; ``BENCH_COALESCE=0`` for uvicorn's
two), against
PostgreSQL (durable when ``make bench-clicks`` starts it; the run prints fsync and
synchronous_commit), with its worker (outbox relay to Kafka, scheduler, consumers) running. wrk gives
each request a distinct (patron token, thing) pair, so every request is a real click insert
with its outbox event. Then a FastAPI app whose POST /v1/clicks returns a constant is served
the same way and loaded with the same script: the ceiling of this machine's HTTP stack.

Two loads, each on the click-ledger and then on the bare endpoint: wrk's closed loop at full
speed (throughput; its latency is then the queue of 64 connections, about 64 / throughput),
and ``python -m trickle_kit.open_loop`` offering BENCH_RATE requests a second whatever the answers' speed
(latency at that load, counted from when each request was due, so a stall is not hidden).
After the fixed-rate run, its first BENCH_REPEAT_SECONDS (20) seconds of clicks are offered
again at the same rate: every request repeats a live click (a double click, a client's retry),
answered with that click and stored nothing (the ``repeats`` line). Each fixed-rate line also says
where its slowest 1 % were: in how many of the run's 250 ms windows (by due time), and the three
windows with the highest p99, so a p99 made by a transient (a vacuum, a burst of the broker, the
first second's cold caches) shows apart from one the steady state makes. Each also says, per
answer, how long the parts' live threads together were runnable but queued for a CPU (schedstat's
run delay, summed over threads: not a share of any one request's latency, and a lower bound, as
threads that ended during the run are left out), and the hypervisor's share of the machine's CPU
time (steal), so that a contended machine shows apart from a slow part.

The run sets the host's write-back of dirty page cache the way a database host sets it
(``vm.dirty_background_bytes`` at BENCH_WRITEBACK_MIB, 32; 0 leaves it; it needs root, and puts
the setting before back at exit; ``trickle_kit.host_writeback``): with the kernel's defaults the
outbox's growth and Kafka's logs were written back all at once every 30 s, and every click
waited behind the WAL's fsync then (docs/benchmarks.md, "clicks, twelfth session"). The line
that starts the measurements says what the host does during the run.

Last line: ``clicks: X req/s p50 A ms p99 B ms, bare Y req/s, ratio X/Y; at R/s offered: p50 C ms
p99 D ms, bare p99 E ms``.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from sqlalchemy import create_engine, text

from trickle_kit import host_writeback
from trickle_kit.db import sync_url
from trickle_kit.ids import new_id
from trickle_kit.serve import http_protocol
from trickle_kit.testing import KAFKA, fresh_database, unique_prefix
from trickle_kit.testing_auth import TokenFactory

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
SERVICE_DIR = ROOT / "services" / "click_ledger"
DURATION = int(os.environ.get("BENCH_DURATION", "60"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SERVER = os.environ.get("BENCH_SERVER", "serve")  # or "uvicorn": its --workers share one socket
# 0: uvicorn's own protocol, a response in two writes (trickle_kit.coalesced_writes)
COALESCE = os.environ.get("BENCH_COALESCE", "1") != "0"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
RATE = int(os.environ.get("BENCH_RATE", "3000"))  # offered by the fixed-rate load
# The host's dirty page cache written back from this many MiB on (trickle_kit.host_writeback, as root;
# put back at exit), as on a database host (docs/scaling.md); 0 leaves the host as it is.
WRITEBACK = int(os.environ.get("BENCH_WRITEBACK_MIB", host_writeback.DATABASE_HOST_BYTES // 2**20)) * 2**20
# then the fixed-rate run's first clicks again, each a repeat (double clicks, retries): answered, not stored
REPEAT_SECONDS = min(int(os.environ.get("BENCH_REPEAT_SECONDS", "20")), DURATION)
PATRONS = int(os.environ.get("BENCH_PATRONS", "4000"))
THINGS = int(os.environ.get("BENCH_THINGS", "200"))
POOL = int(os.environ.get("BENCH_DB_POOL", "10"))
# (patron, thing) pairs: wrk's full-speed run from 0, the fixed-rate run from the half, the
# warm-up from three quarters, so that no run repeats another's clicks
PAIRS = PATRONS * THINGS
FIXED_RATE_OFFSET = PAIRS // 2
WARMUP_OFFSET = PAIRS * 3 // 4

LUA = r"""
local tokens = dofile("%(tokens)s")
local things = dofile("%(things)s")
local P, T = #tokens, #things
local counter = 0

function setup(thread)
  thread:set("tid", _G.next_tid or 0)
  _G.next_tid = (_G.next_tid or 0) + 1
end

function init(args)
  offset = tonumber(args[1] or "0")
  nthreads = tonumber(args[2] or "1")
  tid = tid or 0
end

function request()
  local g = offset + counter * nthreads + tid
  counter = counter + 1
  local p = (g %% P) + 1
  local t = (math.floor(g / P) %% T) + 1
  return wrk.format("POST", "/v1/clicks",
    {["Authorization"] = "Bearer " .. tokens[p], ["Content-Type"] = "application/json"},
    '{"thing_id":"' .. things[t] .. '"}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""

BARE_APP = """
from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()
BODY = {"id": "clk_00000000000000000000000000000000", "period": "2026-11"}


@app.post("/v1/clicks", status_code=201)
async def create_click() -> JSONResponse:
    return JSONResponse(BODY, status_code=201)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def serve_jwks(jwks: dict[str, Any]) -> tuple[http.server.HTTPServer, int]:
    body = json.dumps(jwks).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, int(server.server_address[1])


def lua_list(path: Path, values: list[str]) -> None:
    path.write_text("return {\n" + "".join(f'"{v}",\n' for v in values) + "}\n")


def fixed_rate_requests(tokens: list[str], things: list[str]) -> dict[str, Any]:
    """The same (patron token, thing) pairs as the wrk script's, for trickle_kit.open_loop."""
    return {
        "method": "POST",
        "path": "/v1/clicks",
        "headers": [{"Authorization": f"Bearer {t}", "Content-Type": "application/json"} for t in tokens],
        "bodies": [json.dumps({"thing_id": t}, separators=(",", ":")) for t in things],
    }


def prepare(url: str) -> list[str]:
    """Things owned by a few creators (bulk insert, not timed)."""
    creators = [new_id("acct") for _ in range(10)]
    things = [new_id("thing") for _ in range(THINGS)]
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO things (id, url, domain, path, owner_id, weight) "
                "VALUES (:id, :url, :domain, :path, :owner, 1)"
            ),
            [
                {
                    "id": t,
                    "url": f"https://bench.example/{t}",
                    "domain": "bench.example",
                    "path": f"/{t}",
                    "owner": creators[i % 10],
                }
                for i, t in enumerate(things)
            ],
        )
    engine.dispose()
    return things


def wait_published(url: str, timeout_s: float = 120) -> tuple[int, int]:
    """Wait (bounded) until the relay has published the outbox; (rows not yet published, clicks stored)."""
    engine = create_engine(sync_url(url))
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            with engine.connect() as conn:
                pending = conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar_one()
                stored = conn.execute(text("SELECT count(*) FROM clicks")).scalar_one()
            if pending == 0 or time.monotonic() > deadline:
                return int(pending), int(stored)
            time.sleep(0.5)
    finally:
        engine.dispose()


def analyzed(url: str) -> None:
    """ANALYZE the warmed-up database, as autovacuum does within a minute in a running service.

    The database is created for the run, so its tables have never been analyzed: a statement the
    API processes planned during the warm-up (``write_clicks``' repeat look-up, a generic plan kept
    for the connection) took ``clicks`` for an empty table and scanned it for every repeated click,
    until autovacuum's first ANALYZE replanned it. That ANALYZE came after the repeats had started
    in three of nine runs on 2026-12-04: up to 5.5 ms of PostgreSQL a repeat and 273-311 answers a
    second, against 0.05-0.08 ms otherwise. Analyzed here, the statistics change and every cached
    plan on these tables is made again before the measured loads.
    """
    engine = create_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def relayed_first(url: str, phase: str) -> None:
    pending, _ = wait_published(url)
    if pending:
        print(f"warning: {pending} events of the {phase} still unpublished", flush=True)


def durability(url: str) -> str:
    """PostgreSQL's fsync and synchronous_commit: a click is only as safe as its commit."""
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        fsync = conn.execute(text("SHOW fsync")).scalar_one()
        sync = conn.execute(text("SHOW synchronous_commit")).scalar_one()
    engine.dispose()
    note = "" if fsync == "on" and sync == "on" else " (NOT durable: restart it with TRICKLE_PG_DURABLE=1)"
    return f"postgres fsync={fsync} synchronous_commit={sync}{note}"


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


class Proc(NamedTuple):
    pid: int
    ppid: int
    pgid: int
    cpu: float  # user + system seconds, its own and its reaped children's (so an exited child still counts)


def _processes() -> list[Proc]:
    """Every live process, from /proc."""
    found = []
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # after the command: state ppid pgrp ... utime(11) stime(12) cutime(13) cstime(14)
        f = stat.rsplit(")", 1)[1].split()
        found.append(Proc(int(entry.name), int(f[1]), int(f[2]), sum(int(x) for x in f[11:15]) / tick))
    return found


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in a process group (the uvicorn master and workers)."""
    return sum(p.cpu for p in _processes() if p.pgid == pgid)


def postmaster_pid(url: str) -> int:
    """The pid of the PostgreSQL server holding ``url``'s database (first line of its postmaster.pid)."""
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        data = conn.execute(text("SHOW data_directory")).scalar_one()
    engine.dispose()
    return int((Path(data) / "postmaster.pid").read_text().split()[0])


def kafka_pid() -> int | None:
    """The local Kafka broker's JVM (the one whose command line runs ``kafka.Kafka``)."""
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"kafka.Kafka" in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except OSError:
            continue
    return None


def cpu_by_part(groups: dict[str, int], postmaster: int, kafka: int | None) -> dict[str, float]:
    """CPU seconds so far of the named process groups, of the bench's PostgreSQL server (the
    postmaster and its children: backends, autovacuum, WAL writer) and of the Kafka broker."""
    parts = dict.fromkeys([*groups, "postgres", "kafka"], 0.0)
    by_group = {pgid: name for name, pgid in groups.items()}
    for p in _processes():
        part = _part_of(p, by_group, postmaster, kafka)
        if part is not None:
            parts[part] += p.cpu
    return parts


def _part_of(p: Proc, by_group: dict[int, str], postmaster: int, kafka: int | None) -> str | None:
    if p.pgid in by_group:
        return by_group[p.pgid]
    if p.pid == postmaster or p.ppid == postmaster:
        return "postgres"
    if p.pid == kafka:
        return "kafka"
    return None


def waits_by_thread(groups: dict[str, int], postmaster: int, kafka: int | None) -> dict[tuple[str, int], int]:
    """Nanoseconds each live thread of the parts (as ``cpu_by_part`` groups them) has spent so far
    runnable but waiting for a CPU: the second field of its ``/proc/<pid>/task/<tid>/schedstat``."""
    waits: dict[tuple[str, int], int] = {}
    by_group = {pgid: name for name, pgid in groups.items()}
    for p in _processes():
        part = _part_of(p, by_group, postmaster, kafka)
        if part is None:
            continue
        try:
            tasks = list(Path(f"/proc/{p.pid}/task").iterdir())
        except OSError:
            continue  # exited
        for task in tasks:
            try:
                waits[(part, int(task.name))] = int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return waits


def waited_ms(before: dict[tuple[str, int], int], after: dict[tuple[str, int], int]) -> dict[str, float]:
    """Milliseconds each part's live threads waited for a CPU between two ``waits_by_thread`` readings
    (a lower bound: a thread that ended in between is left out). A thread that started in between
    counts from its start, also one whose id an ended thread had (its count is below the old one)."""
    parts: dict[str, float] = {}
    for (part, tid), ns in after.items():
        old = before.get((part, tid), 0)
        parts[part] = parts.get(part, 0.0) + (ns - old if ns >= old else ns) / 1e6
    return parts


def steal_share() -> tuple[int, int]:
    """The machine's CPU time so far stolen by the hypervisor, and all of it, in clock ticks (/proc/stat)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return ticks[7], sum(ticks)


def server(app: str, port: int, extra: list[str]) -> list[str]:
    """The command serving ``app`` from WORKERS processes, as trickle_kit.serve (default) or uvicorn does."""
    runner = ["-m", "trickle_kit.serve"] if SERVER == "serve" else ["-m", "uvicorn", "--host", "127.0.0.1"]
    if SERVER == "serve":
        http = "httptools"  # serve makes it the coalescing protocol unless told not to
        if not COALESCE:
            extra = ["--no-coalesce-writes", *extra]
    else:
        http = http_protocol("httptools", coalesce=COALESCE)
    return [
        str(VENV_BIN / "python"),
        *runner,
        app,
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--loop",
        "uvloop",
        "--http",
        http,
        "--no-access-log",
        "--log-level",
        "warning",
        *extra,
    ]


def run_wrk(wrk: str, script: Path, port: int, seconds: int, offset: int) -> dict[str, float]:
    cmd = [
        wrk,
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}/v1/clicks",
        "--",
        str(offset),
        str(THREADS),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests, duration_us, p50_us, p99_us, bad_status, socket_errors = (int(v) for v in line.split()[1:])
    return {
        "requests": requests,
        "rps": requests / (duration_us / 1e6),
        "p50_ms": p50_us / 1000,
        "p99_ms": p99_us / 1000,
        "bad_status": bad_status,
        "socket_errors": socket_errors,
    }


def run_fixed_rate(
    requests: Path, port: int, seconds: int, offset: int, parts: CpuParts, waits: WaitParts
) -> dict[str, Any]:
    """``python -m trickle_kit.open_loop`` offering RATE requests a second for ``seconds``: its JSON summary, with
    ``cpu_ms``: the milliseconds of CPU per answered request of each part and of the load generator;
    ``wait_ms``: the milliseconds per answered request each part's threads were runnable but waiting
    for a CPU (the generator's own lateness is in its windows); ``steal_pct``: the share of the
    machine's CPU time the hypervisor took meanwhile."""
    cmd = [str(VENV_BIN / "python"), "-m", "trickle_kit.open_loop", "--port", str(port)]
    cmd += ["--rate", str(RATE), "--seconds", str(seconds), "--connections", str(CONNECTIONS)]
    cmd += ["--requests", str(requests), "--offset", str(offset)]
    before, waits_before, steal_before = parts(), waits(), steal_share()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if not done.stdout.strip():
        raise SystemExit(f"trickle_kit.open_loop failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    after, waits_after, steal_after = parts(), waits(), steal_share()
    spent = {part: after[part] - before[part] for part in after}
    spent["load generator"] = result["cpu_s"]
    answered = max(result["answered"], 1)
    result["cpu_ms"] = {part: round(seconds * 1000 / answered, 3) for part, seconds in spent.items()}
    waited = waited_ms(waits_before, waits_after)
    result["wait_ms"] = {part: round(waited.get(part, 0.0) / answered, 3) for part in after}
    stolen, ticks = steal_after[0] - steal_before[0], steal_after[1] - steal_before[1]
    result["steal_pct"] = round(100 * stolen / max(ticks, 1), 1)
    return result


def fixed_rate_line(name: str, result: dict[str, Any]) -> str:
    worst = ", ".join(
        f"at {w['at_s']:.2f} s p50 {w['p50_ms']:.1f} p99 {w['p99_ms']:.1f} ms"
        f" (generator late {w['generator_late_ms']:.0f})"
        for w in result["slowest_windows"]
    )
    return (
        f"{name} at {RATE}/s offered: achieved {result['achieved_rps']:.0f}/s, p50 {result['p50_ms']:.1f} ms "
        f"p90 {result['p90_ms']:.1f} ms p99 {result['p99_ms']:.1f} ms p99.9 {result['p99.9_ms']:.1f} ms "
        f"max {result['max_ms']:.1f} ms, answers {result['statuses']}, socket errors {result['socket_errors']}, "
        f"unanswered {result['unanswered']}\n  slowest 1 % in {result['p99_windows']} of {result['windows']} 250 ms "
        f"windows; worst: {worst}; the generator woke late by at most {result['generator_late_max_ms']:.0f} ms"
        "\n  CPU per answer: "
        + ", ".join(f"{part} {ms:.3f} ms" for part, ms in result["cpu_ms"].items())
        + f"; total {sum(result['cpu_ms'].values()):.3f} ms"
        + "\n  run-queue wait per answer (live threads, summed): "
        + ", ".join(f"{part} {ms:.3f} ms" for part, ms in result["wait_ms"].items())
        + f"; hypervisor's steal {result['steal_pct']:.1f} % of the machine"
    )


def fixed_rate_failed(result: dict[str, Any]) -> bool:
    return bool(set(result["statuses"]) - {"2xx"} or result["socket_errors"] or result["unanswered"])


CpuParts = Callable[[], dict[str, float]]
WaitParts = Callable[[], dict[tuple[str, int], int]]


def of_parts(groups: dict[str, int], postmaster: int, kafka: int | None) -> tuple[CpuParts, WaitParts]:
    """The readings of the parts' CPU and of their threads' waits for a CPU, for ``run_fixed_rate``."""
    return (lambda: cpu_by_part(groups, postmaster, kafka)), (lambda: waits_by_thread(groups, postmaster, kafka))


def main() -> None:
    if RATE * DURATION > PAIRS // 4:
        raise SystemExit(f"BENCH_RATE x BENCH_DURATION exceeds {PAIRS // 4} distinct clicks: raise BENCH_PATRONS")
    wrk = ensure_wrk()
    # A SIGTERM or SIGHUP (a closed terminal) exits through the ``with``: the host's write-back is put back.
    for stop_signal, code in ((signal.SIGTERM, 143), (signal.SIGHUP, 129)):
        signal.signal(stop_signal, lambda *_, code=code: sys.exit(code))
    with host_writeback.continuous(WRITEBACK) as writeback:
        measure(wrk, writeback)


def measure(wrk: str, writeback: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-clicks-"))
    url = fresh_database("bench_click_ledger", SERVICE_DIR)
    prefix = unique_prefix("bench-clicks")
    things = prepare(url)
    tokens = TokenFactory()
    jwks_server, jwks_port = serve_jwks(tokens.jwks())
    patrons = [new_id("acct") for _ in range(PATRONS)]
    bearer = [tokens.token(p, ["clicks:write"], ttl_s=3600) for p in patrons]
    lua_list(tmp / "tokens.lua", bearer)
    lua_list(tmp / "things.lua", things)
    script = tmp / "clicks.lua"
    script.write_text(LUA % {"tokens": str(tmp / "tokens.lua"), "things": str(tmp / "things.lua")})
    fixed = tmp / "requests.json"
    fixed.write_text(json.dumps(fixed_rate_requests(bearer, things)))
    (tmp / "bare_app.py").write_text(BARE_APP)

    env = {
        **os.environ,
        "TRICKLE_CLICK_LEDGER_DATABASE_URL": url,
        "TRICKLE_CLICK_LEDGER_DB_POOL_SIZE": str(POOL),
        "TRICKLE_TOPIC_PREFIX": prefix,
        "TRICKLE_KAFKA_BOOTSTRAP": KAFKA,
        "TRICKLE_JWKS_URL": f"http://127.0.0.1:{jwks_port}/jwks.json",
        "TRICKLE_LOG_LEVEL": "WARNING",
    }
    port = free_port()
    worker = start([str(VENV_BIN / "python"), "-m", "trickle_click_ledger.worker"], env, tmp / "worker.log")
    try:
        api = start(server("trickle_click_ledger.app:app", port, []), env, tmp / "api.log")
        try:
            wait_healthy(port, api)
            print(
                f"click-ledger on :{port} ({WORKERS} processes, {SERVER}), relay running, {durability(url)}, "
                f"{writeback}; warm-up 5 s",
                flush=True,
            )
            run_wrk(wrk, script, port, 5, WARMUP_OFFSET)
            relayed_first(url, "warm-up")  # the measured loads are the clicks' own, not a backlog's
            analyzed(url)
            click_parts, postmaster, kafka = {"API": api.pid, "worker": worker.pid}, postmaster_pid(url), kafka_pid()
            print(f"measuring POST /v1/clicks at {RATE}/s offered for {DURATION} s", flush=True)
            steady = run_fixed_rate(fixed, port, DURATION, FIXED_RATE_OFFSET, *of_parts(click_parts, postmaster, kafka))
            print(fixed_rate_line("clicks", steady), flush=True)
            relayed_first(url, "fixed-rate run")
            print(f"measuring repeats of those clicks at {RATE}/s offered for {REPEAT_SECONDS} s", flush=True)
            repeats = run_fixed_rate(
                fixed, port, REPEAT_SECONDS, FIXED_RATE_OFFSET, *of_parts(click_parts, postmaster, kafka)
            )
            print(fixed_rate_line("repeats", repeats), flush=True)
            print(f"measuring POST /v1/clicks at full speed for {DURATION} s, {CONNECTIONS} connections", flush=True)
            cpu_before = group_cpu_seconds(api.pid)
            clicks = run_wrk(wrk, script, port, DURATION, 0)
            if clicks["requests"] + THREADS > FIXED_RATE_OFFSET:
                raise SystemExit("the full-speed run repeated the fixed-rate run's clicks: raise BENCH_PATRONS")
            api_cpu_ms = (group_cpu_seconds(api.pid) - cpu_before) * 1000 / max(clicks["requests"], 1)
        finally:
            stop(api)
        pending, stored = wait_published(url)
    finally:
        stop(worker)  # also when the API failed to start: it would keep relaying against the bench database
    print(
        f"clicks stored {stored} (incl. warm-up), outbox not yet published {pending}, "
        f"non-2xx {clicks['bad_status']:.0f}, socket errors {clicks['socket_errors']:.0f}, "
        f"API CPU {api_cpu_ms:.2f} ms per click, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    bare_port = free_port()
    bare = start(server("bare_app:app", bare_port, ["--app-dir", str(tmp)]), env, tmp / "bare.log")
    try:
        wait_healthy(bare_port, bare)
        run_wrk(wrk, script, bare_port, 3, 0)
        bare_steady = run_fixed_rate(
            fixed,
            bare_port,
            min(DURATION, 20),
            FIXED_RATE_OFFSET,
            *of_parts({"API": bare.pid}, postmaster, kafka),
        )
        print(fixed_rate_line("bare", bare_steady), flush=True)
        print(f"measuring the bare endpoint for {DURATION} s", flush=True)
        cpu_before = group_cpu_seconds(bare.pid)
        ceiling = run_wrk(wrk, script, bare_port, DURATION, 0)
        bare_cpu_ms = (group_cpu_seconds(bare.pid) - cpu_before) * 1000 / max(ceiling["requests"], 1)
        print(
            f"bare: p50 {ceiling['p50_ms']:.1f} ms p99 {ceiling['p99_ms']:.1f} ms, CPU {bare_cpu_ms:.3f} ms per request"
        )
    finally:
        stop(bare)
        jwks_server.shutdown()
    ratio = clicks["rps"] / ceiling["rps"] if ceiling["rps"] else 0.0
    print(
        f"clicks: {clicks['rps']:.0f} req/s p50 {clicks['p50_ms']:.1f} ms p99 {clicks['p99_ms']:.1f} ms, "
        f"bare {ceiling['rps']:.0f} req/s, ratio {ratio:.2f}; at {RATE}/s offered: p50 {steady['p50_ms']:.1f} ms "
        f"p99 {steady['p99_ms']:.1f} ms, bare p99 {bare_steady['p99_ms']:.1f} ms",
        flush=True,
    )
    if clicks["bad_status"] or clicks["socket_errors"] or any(map(fixed_rate_failed, (steady, repeats, bare_steady))):
        sys.exit(1)


if __name__ == "__main__":
    main()
