"""Requests at a fixed rate, whatever the server's speed: latency at a given load, not at saturation.

    python -m trickle_kit.open_loop --port 8102 --rate 3000 --seconds 60 --requests requests.json [--offset N]

wrk sends a connection's next request only when the previous answer has come (a closed
loop), so at full speed its latency is the queue of its connections (about connections /
throughput), and a server that stalls simply receives fewer requests while it stalls: the
stall shows in few samples. Here request i is due at ``start + i / rate``; it is sent on an
idle keep-alive connection (the one idle longest, so that every connection, and so every
server process, gets its share), or waits for one, and its latency is counted from when it
was *due* (wrk2's correction of "coordinated omission"). A server that cannot keep up shows
it as a latency that grows for the rest of the run and as an achieved rate below the
offered one.

``--requests`` names a JSON object ``{"method", "path", "headers": [{name: value}, ...],
"bodies": [text, ...]}``. Request i takes pair g = offset + i: header set ``g mod H`` with body
``(g div H) mod B``, as bench_clicks' wrk script does, so every request is a distinct (patron,
thing) pair until H x B. The last line is JSON: offered and achieved
rates, latencies in ms (p50, p90, p99, p99.9, max), answers by status class, socket errors,
requests left unanswered 30 s after the last was due, and the generator's own CPU seconds; and
where in the run the slow answers were: the run cut into 250 ms windows by when requests were
due, how many windows hold the answers at or above the run's p99 (a few: a transient made the
p99; most: the steady state did), and the three windows with the highest p99 of their own.
Those three windows also say how late the generator itself woke to send what fell due in them (a
machine that did not run it on time, apart from a server that answered late), and the run its worst.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httptools
import uvloop


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection carrying one request at a time."""

    def __init__(self, client: OpenLoopClient) -> None:
        self.client = client
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.due = 0.0
        self.busy = False
        self.dead = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def send(self, request: bytes, due: float) -> None:
        assert self.transport is not None
        self.due, self.busy = due, True
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.client.broken(self)

    def on_message_complete(self) -> None:
        self.busy = False
        self.client.answered(self, self.parser.get_status_code(), self.due, self.parser.should_keep_alive())

    def connection_lost(self, exc: Exception | None) -> None:
        if self.busy or not self.client.stopping:
            self.client.broken(self)


class OpenLoopClient:
    def __init__(self, host: str, port: int, connections: int, requests: Requests) -> None:
        self.host, self.port, self.size = host, port, connections
        self.request = requests.render
        self.idle: collections.deque[_Connection] = collections.deque()
        self.waiting: collections.deque[tuple[int, float]] = collections.deque()  # (request index, due)
        self.latencies: list[float] = []
        self.dues: list[float] = []  # when each answered request was due, in the order of ``latencies``
        self.statuses: collections.Counter[str] = collections.Counter()
        self.socket_errors = 0
        self.stopping = False
        self.outstanding = 0
        self.drained: asyncio.Event | None = None
        self.last_answer = 0.0
        # How late the generator itself woke to send what fell due, at most, per window (seconds): a
        # machine that did not run it on time shows here, apart from a server that answered late.
        self.late: dict[int, float] = {}

    async def open(self) -> None:
        for _ in range(self.size):
            self.idle.append(await self._connect())

    def dispatch(self, index: int, due: float) -> None:
        self.outstanding += 1
        if self.idle and not self.waiting:
            self.idle.popleft().send(self.request(index), due)
        else:
            self.waiting.append((index, due))

    def answered(self, conn: _Connection, status: int, due: float, keep_alive: bool) -> None:
        self.last_answer = time.perf_counter()
        self.latencies.append(self.last_answer - due)
        self.dues.append(due)
        self.statuses[f"{status // 100}xx"] += 1
        self._finished_one()
        if keep_alive:
            self._take(conn)
        else:  # the server closes it: a fresh connection takes its place
            self.broken(conn)

    def broken(self, conn: _Connection) -> None:
        if conn.dead:  # aborting it below calls connection_lost, which comes back here
            return
        conn.dead = True
        if conn.busy:
            conn.busy = False
            self.socket_errors += 1
            self._finished_one()
        if conn in self.idle:
            self.idle.remove(conn)
        if conn.transport is not None:
            conn.transport.abort()
        if not self.stopping:  # keep the pool's size: a fresh connection takes its place
            asyncio.get_running_loop().create_task(self._replace())

    async def _replace(self) -> None:
        try:
            conn = await self._connect()
        except OSError:
            self.socket_errors += 1
            return
        self._take(conn)

    async def _connect(self) -> _Connection:
        _, conn = await asyncio.get_running_loop().create_connection(lambda: _Connection(self), self.host, self.port)
        return conn

    def _take(self, conn: _Connection) -> None:
        """An idle connection carries the request waiting longest, or joins the idle queue."""
        if self.waiting:
            index, due = self.waiting.popleft()
            conn.send(self.request(index), due)
        else:
            self.idle.append(conn)

    def _note_late(self, start: float, wake: float, woke: float) -> None:
        """The generator meant to wake at ``wake`` and woke at ``woke``: in each window in between, the
        requests due from the later of ``wake`` and the window's start waited that much longer for it."""
        for n in range(int((wake - start) // WINDOW_S), int((woke - start) // WINDOW_S) + 1):
            late = woke - max(wake, start + n * WINDOW_S)
            if late > self.late.get(n, 0.0):
                self.late[n] = late

    def _finished_one(self) -> None:
        self.outstanding -= 1
        if self.outstanding <= 0 and self.drained is not None:
            self.drained.set()

    async def run(self, rate: float, seconds: float, drain_s: float = 30.0) -> dict[str, Any]:
        await self.open()
        total = int(rate * seconds)
        start = time.perf_counter()
        sent = 0
        while sent < total:
            now = time.perf_counter()
            due_count = min(total, int((now - start) * rate) + 1)
            while sent < due_count:
                self.dispatch(sent, start + sent / rate)
                sent += 1
            if sent >= total:
                break
            # at least a millisecond (the event loop's timer resolution; shorter would spin):
            # whatever fell due meanwhile goes out together at the next turn, timed from when due
            now = time.perf_counter()
            wake = max(now + 0.001, start + sent / rate)
            await asyncio.sleep(wake - now)
            self._note_late(start, wake, time.perf_counter())
        self.drained = asyncio.Event()
        if self.outstanding > 0:
            with contextlib.suppress(TimeoutError):  # what is still unanswered is reported
                await asyncio.wait_for(self.drained.wait(), drain_s)
        elapsed = (self.last_answer or time.perf_counter()) - start  # to the last answer, not the drain's end
        self.stopping = True
        unanswered = self.outstanding
        for conn in list(self.idle):
            if conn.transport is not None:
                conn.transport.close()
        result = summary(rate, total, elapsed, self.latencies, self.statuses, self.socket_errors, unanswered)
        return {**result, **windows([due - start for due in self.dues], self.latencies, self.late)}


def percentile(ordered: Sequence[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(
    rate: float,
    total: int,
    elapsed: float,
    latencies: list[float],
    statuses: collections.Counter[str],
    socket_errors: int,
    unanswered: int,
) -> dict[str, Any]:
    ordered = sorted(latencies)
    quantiles = {"p50_ms": 0.5, "p90_ms": 0.9, "p99_ms": 0.99, "p99.9_ms": 0.999}
    ms = {name: round(percentile(ordered, q) * 1000, 2) for name, q in quantiles.items()}
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "offered_rps": rate,
        "requests": total,
        "answered": len(latencies),
        "achieved_rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        **ms,
        "max_ms": round((ordered[-1] if ordered else 0.0) * 1000, 2),
        "statuses": dict(statuses),
        "socket_errors": socket_errors,
        "unanswered": unanswered,
        "cpu_s": round(own.ru_utime + own.ru_stime, 3),  # the generator's own, start-up included
    }


WINDOW_S = 0.25


def windows(
    dues: Sequence[float], latencies: Sequence[float], late: dict[int, float] | None = None, width_s: float = WINDOW_S
) -> dict[str, Any]:
    """Where the slow answers were: ``dues`` (seconds from the start) and ``latencies`` of the same requests
    cut into windows of ``width_s`` by due time. ``p99_windows`` of ``windows`` hold the answers at or
    above the run's p99 (its slowest 1 %); ``slowest_windows``: the three with the highest p99 of their
    own (``at_s``: the window's start; ``generator_late_ms``: from ``late``, by window, how much later than
    due the generator itself woke to send that window's requests, at most: wake-ups only, not a generator
    that woke on time and was slow to send; the event loop's timer has ~1 ms resolution, so a few ms
    is noise). ``generator_late_max_ms``: the same over the whole run."""
    late = late or {}
    generator = {"generator_late_max_ms": round(max(late.values(), default=0.0) * 1000, 2)}
    if not latencies:
        return {"windows": 0, "p99_windows": 0, "slowest_windows": [], **generator}
    p99 = percentile(sorted(latencies), 0.99)
    by_window: dict[int, list[float]] = collections.defaultdict(list)
    for due, latency in zip(dues, latencies, strict=True):
        by_window[int(due // width_s)].append(latency)
    slow = {n for n, values in by_window.items() if max(values) >= p99}
    stats = []
    for n, values in by_window.items():
        ordered = sorted(values)
        stats.append(
            {
                "at_s": round(n * width_s, 2),
                "requests": len(ordered),
                "p50_ms": round(percentile(ordered, 0.5) * 1000, 2),
                "p99_ms": round(percentile(ordered, 0.99) * 1000, 2),
                "max_ms": round(ordered[-1] * 1000, 2),
                "generator_late_ms": round(late.get(n, 0.0) * 1000, 2),
            }
        )
    stats.sort(key=lambda w: (-w["p99_ms"], w["at_s"]))
    return {"windows": len(by_window), "p99_windows": len(slow), "slowest_windows": stats[:3], **generator}


class Requests:
    """Request i's bytes: the header set and body of pair ``offset + i`` (see the module's doc)."""

    def __init__(self, spec: dict[str, Any], host: str, offset: int) -> None:
        self.offset = offset
        start = f"{spec['method']} {spec['path']} HTTP/1.1\r\nHost: {host}\r\n"
        self.heads = [
            (start + "".join(f"{k}: {v}\r\n" for k, v in headers.items())).encode() for headers in spec["headers"]
        ]
        self.bodies = [
            b"Content-Length: %d\r\n\r\n%s" % (len(raw), raw) for raw in (body.encode() for body in spec["bodies"])
        ]

    def render(self, index: int) -> bytes:
        g = self.offset + index
        return self.heads[g % len(self.heads)] + self.bodies[(g // len(self.heads)) % len(self.bodies)]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests per second offered")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--requests", type=Path, required=True, help="JSON: method, path, headers (list), bodies")
    parser.add_argument("--offset", type=int, default=0, help="the first request's pair number")
    args = parser.parse_args(argv)
    requests = Requests(json.loads(args.requests.read_text()), f"{args.host}:{args.port}", args.offset)
    client = OpenLoopClient(args.host, args.port, args.connections, requests)
    result = uvloop.run(client.run(args.rate, args.seconds))
    print(json.dumps(result), flush=True)
    sys.exit(0 if result["socket_errors"] == 0 and result["unanswered"] == 0 else 1)


if __name__ == "__main__":
    main()
