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


@dataclass
class Answer:
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"


Script = Callable[[Delivery, int], Answer]  # (delivery, how many earlier deliveries on this path) -> answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    """``url(name)`` is an endpoint URL; ``script(name, fn)`` decides its answers; ``deliveries(name)`` lists them."""

    def __init__(self) -> None:
        self.port = free_port()
        self.scripts: dict[str, Script] = {}
        self.received: dict[str, list[Delivery]] = {}
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

    async def _handle(self, request: Request) -> Response:
        name = request.path_params["name"]
        delivery = Delivery(name, dict(request.headers), await request.body(), time.time())
        with self._lock:
            earlier = len(self.received.setdefault(name, []))
            self.received[name].append(delivery)
        answer = self.scripts.get(name, lambda d, n: Answer())(delivery, earlier)
        if answer.delay_s:
            await asyncio.sleep(answer.delay_s)
        return Response(answer.body, status_code=answer.status, headers=answer.headers)
