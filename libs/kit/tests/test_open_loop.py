"""The fixed-rate load generator of ``make bench-clicks`` (trickle_kit.open_loop) against a tiny local server."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from trickle_kit import open_loop

SPEC: dict[str, Any] = {
    "method": "POST",
    "path": "/v1/clicks",
    "headers": [{"Authorization": "Bearer a"}, {"Authorization": "Bearer b"}, {"Authorization": "Bearer c"}],
    "bodies": ['{"thing_id":"t1"}', '{"thing_id":"t2"}'],
}


class _Server(asyncio.Protocol):
    """Answers each request at once, except that it holds the ``stall_at``-th answer for ``stall_s``, and
    blocks the event loop it shares with the generator for ``block_s`` when the ``block_at``-th arrives."""

    seen = 0
    bodies: list[bytes] = []

    def __init__(self, stall_at: int, stall_s: float, block_at: int = 0, block_s: float = 0) -> None:
        self.stall_at, self.stall_s = stall_at, stall_s
        self.block_at, self.block_s = block_at, block_s
        self.buffer = b""
        self.held: list[bytes] = []
        self.holding = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, rest = self.buffer.split(b"\r\n\r\n", 1)
            length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1])
            if len(rest) < length:
                return
            _Server.bodies.append(head.split(b"\r\n")[2] + b" " + rest[:length])
            self.buffer = rest[length:]
            _Server.seen += 1
            answer = b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}"
            if _Server.seen == self.block_at:
                time.sleep(self.block_s)
            if _Server.seen == self.stall_at:
                self.holding = True
                asyncio.get_running_loop().call_later(self.stall_s, self._release)
            if self.holding:
                self.held.append(answer)
            else:
                self.transport.write(answer)

    def _release(self) -> None:
        self.holding = False
        for answer in self.held:
            self.transport.write(answer)
        self.held.clear()


async def _run(
    rate: float, seconds: float, connections: int, stall_at: int, stall_s: float, block_at: int = 0, block_s: float = 0
) -> dict[str, Any]:
    _Server.seen, _Server.bodies = 0, []
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Server(stall_at, stall_s, block_at, block_s), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        requests = open_loop.Requests(SPEC, f"127.0.0.1:{port}", offset=1)
        return await open_loop.OpenLoopClient("127.0.0.1", port, connections, requests).run(rate, seconds)
    finally:
        server.close()


async def test_every_request_is_sent_and_answered() -> None:
    result = await _run(rate=200, seconds=1.0, connections=4, stall_at=0, stall_s=0)
    assert result["requests"] == 200
    assert result["answered"] == 200
    assert result["statuses"] == {"2xx": 200}
    assert result["socket_errors"] == 0 and result["unanswered"] == 0


async def test_a_stall_delays_every_request_due_during_it() -> None:
    """Latency counts from when a request was due: a 300 ms stall of the only connection makes the
    requests due in its first 200 ms wait at least 100 ms each (a closed loop would show one slow answer)."""
    result = await _run(rate=200, seconds=1.5, connections=1, stall_at=20, stall_s=0.3)
    assert result["answered"] == 300
    assert result["max_ms"] >= 300
    # 40 of 300 requests (13 %) were due in the stall's first 200 ms: p90 counts them
    assert result["p90_ms"] >= 100


async def test_the_windows_show_where_the_slow_answers_were() -> None:
    """The 300 ms stall at the 20th request (due at 0.1 s) makes the slowest answers: they sit in the
    first two 250 ms windows of six, and the slowest window is the first."""
    result = await _run(rate=200, seconds=1.5, connections=1, stall_at=20, stall_s=0.3)
    assert result["windows"] == 6
    assert result["p99_windows"] <= 2
    slowest = result["slowest_windows"]
    assert [w["at_s"] for w in slowest][:1] == [0.0]
    assert slowest[0]["p99_ms"] >= 100 and slowest[0]["requests"] == 50
    assert slowest[0]["p99_ms"] >= slowest[1]["p99_ms"] >= slowest[2]["p99_ms"]


def test_windows_count_the_slow_answers_by_window() -> None:
    dues = [0.0, 0.1, 0.3, 0.6, 0.7, 0.9] * 20
    latencies = [0.001, 0.001, 0.001, 0.2, 0.001, 0.001] * 20
    # the generator woke 150 ms late for the requests due in [0.5, 0.75)
    found = open_loop.windows(dues, latencies, {0: 0.002, 2: 0.150, 3: 0.004})
    assert found["windows"] == 4  # [0, 0.25) [0.25, 0.5) [0.5, 0.75) [0.75, 1.0)
    assert found["p99_windows"] == 1
    assert found["slowest_windows"][0] == {
        "at_s": 0.5,
        "requests": 40,
        "p50_ms": 200.0,
        "p99_ms": 200.0,
        "max_ms": 200.0,
        "generator_late_ms": 150.0,
    }
    assert found["generator_late_max_ms"] == 150.0
    assert open_loop.windows([], []) == {
        "windows": 0,
        "p99_windows": 0,
        "slowest_windows": [],
        "generator_late_max_ms": 0.0,
    }


def test_request_i_takes_the_pair_offset_plus_i() -> None:
    """Pair g = offset + i: header set g mod 3, body (g div 3) mod 2."""
    requests = open_loop.Requests(SPEC, "h:1", offset=4)
    for i, (head, body) in enumerate([("b", 2), ("c", 2), ("a", 1), ("b", 1), ("c", 1), ("a", 2)]):
        sent = requests.render(i)
        assert f"Authorization: Bearer {head}\r\n".encode() in sent
        assert sent.endswith(f'{{"thing_id":"t{body}"}}'.encode())
        assert sent.startswith(b"POST /v1/clicks HTTP/1.1\r\nHost: h:1\r\n")


async def test_the_requests_sent_are_the_rendered_ones() -> None:
    await _run(rate=200, seconds=0.02, connections=2, stall_at=0, stall_s=0)
    assert sorted(_Server.bodies) == sorted(
        f'Authorization: Bearer {"abc"[g % 3]} {{"thing_id":"t{g // 3 % 2 + 1}"}}'.encode() for g in range(1, 5)
    )


class _Dropping(_Server):
    """Drops the connection, unanswered, on the ``stall_at``-th request; answers ``Connection: close``
    and closes 50 ms after every answer when ``stall_s`` is -1."""

    def data_received(self, data: bytes) -> None:
        if _Server.seen + 1 == self.stall_at:
            _Server.seen += 1
            self.transport.abort()
        elif self.stall_s == -1:  # a request that arrives meanwhile is never answered
            if not self.holding:
                self.holding = True
                _Server.seen += 1
                self.transport.write(b"HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")
                asyncio.get_running_loop().call_later(0.05, self.transport.close)
        else:
            super().data_received(data)


async def _run_dropping(stall_at: int, stall_s: float) -> dict[str, Any]:
    _Server.seen = 0
    server = await asyncio.get_running_loop().create_server(lambda: _Dropping(stall_at, stall_s), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        requests = open_loop.Requests(SPEC, f"127.0.0.1:{port}", offset=0)
        client = open_loop.OpenLoopClient("127.0.0.1", port, 2, requests)
        return await client.run(100, 0.5)
    finally:
        server.close()


async def test_a_dropped_connection_costs_its_request_only() -> None:
    result = await _run_dropping(stall_at=10, stall_s=0)
    assert result["socket_errors"] == 1
    assert result["answered"] == 49 and result["unanswered"] == 0


async def test_a_connection_the_server_closes_is_not_reused() -> None:
    result = await _run_dropping(stall_at=0, stall_s=-1)
    assert result["answered"] == 50
    assert result["socket_errors"] == 0 and result["unanswered"] == 0


@pytest.mark.parametrize(
    ("values", "q", "expected"), [([1.0, 2.0, 3.0, 4.0], 0.5, 3.0), ([5.0], 0.99, 5.0), ([], 0.5, 0.0)]
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert open_loop.percentile(values, q) == expected


async def test_a_generator_that_ran_late_says_so_where_it_did() -> None:
    """The loop the generator shares with the server blocks for 200 ms when the request due at 0.6 s
    arrives (as when the machine does not run the generator): the requests due meanwhile are late for
    the generator, and the run says how late it woke and in which window."""
    result = await _run(rate=200, seconds=1.5, connections=4, stall_at=0, stall_s=0, block_at=121, block_s=0.2)
    assert result["generator_late_max_ms"] >= 150
    slowest = result["slowest_windows"][0]
    assert slowest["at_s"] == 0.5 and slowest["generator_late_ms"] >= 100


def test_lateness_is_noted_in_every_window_it_spans() -> None:
    client = open_loop.OpenLoopClient("127.0.0.1", 1, 1, open_loop.Requests(SPEC, "h:1", offset=0))
    client._note_late(start=0.0, wake=0.6, woke=1.1)  # meant to wake at 0.6 s, woke at 1.1 s
    assert {n: round(v, 3) for n, v in client.late.items()} == {2: 0.5, 3: 0.35, 4: 0.1}
