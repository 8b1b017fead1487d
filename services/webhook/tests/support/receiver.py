"""A real HTTP receiver on loop-back (uvicorn in a thread) whose answers each test scripts per path."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float  # time.time()


class Hold:
    """Requests answered with this hang, unanswered, until the test calls ``release()``.

    The receiver runs its own event loop in a thread: a waiting request's loop is woken
    thread-safely.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._released = False
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def release(self) -> None:
        with self._lock:
            self._released = True
            waiters, self._waiters = self._waiters, []
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    async def wait(self) -> None:
        event = asyncio.Event()
        with self._lock:
            if self._released:
                return
            self._waiters.append((asyncio.get_running_loop(), event))
        await event.wait()


@dataclass
class Answer:
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    # The request hangs (holds its connection, unanswered) until the test releases this.
    hold: Hold | None = None


Script = Callable[[Delivery, int], Answer]  # (delivery, how many earlier deliveries on this path) -> answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    """``url(name)`` is an endpoint URL; ``script(name, fn)`` decides its answers; ``deliveries(name)`` lists them.

    ``in_flight(name)`` counts the requests received and not yet answered, ``peak_in_flight(name)``
    the most there ever were at once (what a test of concurrency limits observes).
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.scripts: dict[str, Script] = {}
        self.received: dict[str, list[Delivery]] = {}
        self._in_flight: dict[str, int] = {}
        self._peak: dict[str, int] = {}
        self._lock = threading.Lock()
        app = Starlette(routes=[Route("/r/{name}", self._handle, methods=["POST"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> Receiver:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("receiver did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/r/{name}"

    def script(self, name: str, fn: Script) -> None:
        self.scripts[name] = fn

    def deliveries(self, name: str) -> list[Delivery]:
        with self._lock:
            return list(self.received.get(name, []))

    def in_flight(self, name: str) -> int:
        with self._lock:
            return self._in_flight.get(name, 0)

    def peak_in_flight(self, name: str) -> int:
        with self._lock:
            return self._peak.get(name, 0)

    async def _handle(self, request: Request) -> Response:
        name = request.path_params["name"]
        delivery = Delivery(name, dict(request.headers), await request.body(), time.time())
        with self._lock:
            earlier = len(self.received.setdefault(name, []))
            self.received[name].append(delivery)
            self._in_flight[name] = self._in_flight.get(name, 0) + 1
            self._peak[name] = max(self._peak.get(name, 0), self._in_flight[name])
        try:
            answer = self.scripts.get(name, lambda d, n: Answer())(delivery, earlier)
            if answer.hold is not None:
                await answer.hold.wait()
            if answer.delay_s:
                await asyncio.sleep(answer.delay_s)
            return Response(answer.body, status_code=answer.status, headers=answer.headers)
        finally:
            with self._lock:
                self._in_flight[name] -= 1
