"""trickle_kit.coalesced_writes: a response leaves in one write, in order, nothing held back or lost.

uvicorn's own protocols are the control: the same request through them makes two writes, which is
what the coalescing protocols exist to avoid.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol as PlainH11
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as PlainHttpTools
from uvicorn.server import ServerState

from trickle_kit.coalesced_writes import FLUSH_AT, CoalescingTransport, H11Protocol, HttpToolsProtocol
from trickle_kit.serve import http_protocol

BODY = b'{"id": "clk_0", "period": "2026-11"}'
BIG = 3 * FLUSH_AT + 17


class RecordingTransport(asyncio.Transport):
    """The socket's side: what was written, in which calls, and whether it was closed or aborted."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False
        self.eof = False
        self.written_after_close = False

    def write(self, data: Any) -> None:
        # Recorded, not asserted: a flush runs in a loop callback, where an assertion would only be logged.
        self.written_after_close = self.written_after_close or self.closed
        self.writes.append(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(list_of_data))

    def write_eof(self) -> None:
        self.eof = True

    def can_write_eof(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A JSON answer; ``/big`` streams a body larger than FLUSH_AT in three chunks."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/big":
        chunk = BIG // 3
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(BIG).encode())]})
        for size in (chunk, chunk, BIG - 2 * chunk):
            await send({"type": "http.response.body", "body": b"x" * size, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]
    await send({"type": "http.response.start", "status": 201, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def answer(protocol_cls: type[asyncio.Protocol], request: bytes) -> RecordingTransport:
    """One connection of ``protocol_cls`` given ``request``: the transport once the loop has settled."""
    config = uvicorn.Config(app=app, log_level="warning", access_log=False, lifespan="off")
    config.load()
    protocol = protocol_cls(config=config, server_state=ServerState(), app_state={})  # type: ignore[call-arg]
    transport = RecordingTransport()
    protocol.connection_made(transport)
    protocol.data_received(request)  # type: ignore[attr-defined]
    await settle()
    return transport


GET = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n"


@pytest.mark.parametrize(
    ("coalescing", "plain"), [(HttpToolsProtocol, PlainHttpTools), (H11Protocol, PlainH11)], ids=["httptools", "h11"]
)
async def test_a_response_leaves_in_one_write_where_uvicorn_makes_two(
    coalescing: type[asyncio.Protocol], plain: type[asyncio.Protocol]
) -> None:
    ours = await answer(coalescing, GET)
    theirs = await answer(plain, GET)

    sent = [w for w in theirs.writes if w]  # h11 also writes its end of message, b""
    assert len(sent) == 2, theirs.writes
    assert len(ours.writes) == 1, ours.writes
    assert ours.writes[0] == b"".join(theirs.writes)
    assert ours.writes[0].startswith(b"HTTP/1.1 201 ") and ours.writes[0].endswith(BODY)


async def test_pipelined_requests_are_answered_in_order_and_a_closing_request_is_sent_before_the_close() -> None:
    two = GET + b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    ours = await answer(HttpToolsProtocol, two)

    sent = b"".join(ours.writes)
    assert sent.count(b"HTTP/1.1 201 ") == 2 and sent.endswith(BODY)
    assert ours.closed


async def test_a_bad_request_is_answered_before_the_connection_closes() -> None:
    ours = await answer(HttpToolsProtocol, b"NOT HTTP AT ALL\r\n\r\n")

    assert b"".join(ours.writes).startswith(b"HTTP/1.1 400 ")
    assert ours.closed


async def test_a_large_body_goes_out_as_it_is_written_not_held_to_the_end_of_the_turn() -> None:
    ours = await answer(HttpToolsProtocol, b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n")

    sent = b"".join(ours.writes)
    assert sent.endswith(b"x" * BIG) and sent.count(b"x") == BIG
    assert len(ours.writes) >= 3  # each chunk reaches FLUSH_AT on its own and leaves at once
    assert all(len(w) < 2 * FLUSH_AT for w in ours.writes)


async def test_writes_keep_their_order_and_close_or_eof_send_what_is_held_first() -> None:
    loop = asyncio.get_running_loop()
    under = RecordingTransport()
    over = CoalescingTransport(under, loop)

    over.write(b"a")
    over.writelines([b"b", bytearray(b"c"), memoryview(b"d")])
    assert under.writes == [] and over.get_write_buffer_size() == 4
    await settle()
    assert under.writes == [b"abcd"]

    over.write(b"e")
    over.write_eof()
    assert under.writes == [b"abcd", b"e"] and under.eof

    over.write(b"f")
    over.close()
    assert under.writes == [b"abcd", b"e", b"f"] and under.closed
    await settle()
    assert under.writes == [b"abcd", b"e", b"f"]


async def test_abort_drops_what_is_held_and_nothing_is_written_to_a_closed_transport() -> None:
    loop = asyncio.get_running_loop()
    under = RecordingTransport()
    over = CoalescingTransport(under, loop)
    over.write(b"held")
    over.abort()
    await settle()
    assert under.writes == [] and under.aborted

    under = RecordingTransport()
    over = CoalescingTransport(under, loop)
    over.write(b"late")
    under.close()  # the peer went away before the turn ended
    await settle()
    assert under.writes == [] and not under.written_after_close


def test_serve_uses_the_coalescing_protocol_unless_told_not_to() -> None:
    assert http_protocol("httptools", coalesce=True) == "trickle_kit.coalesced_writes:HttpToolsProtocol"
    assert http_protocol("h11", coalesce=True) == "trickle_kit.coalesced_writes:H11Protocol"
    assert http_protocol("auto", coalesce=True) == "trickle_kit.coalesced_writes:HttpToolsProtocol"
    assert http_protocol("httptools", coalesce=False) == "httptools"


LOOPS = ["asyncio", "uvloop"]


@pytest.fixture(params=[(loop, http) for loop in LOOPS for http in ("httptools", "h11")], ids=lambda p: "-".join(p))
def served(request: pytest.FixtureRequest) -> Iterator[int]:
    """``app`` under a real uvicorn server (in a thread, on its own event loop of each kind) with each
    coalescing protocol, on a free port."""
    loop, http = request.param
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    protocol = HttpToolsProtocol if http == "httptools" else H11Protocol
    config = uvicorn.Config(
        app=app, host="127.0.0.1", port=port, http=protocol, loop=loop, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    yield port
    server.should_exit = True
    thread.join(30)


def test_a_real_server_answers_keep_alive_requests_and_a_large_body_whole(served: int) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{served}") as client:
        for _ in range(5):
            small = client.get("/")
            assert small.status_code == 201 and small.content == BODY
        big = client.get("/big")
        assert big.status_code == 200 and big.content == b"x" * BIG


def test_a_client_that_half_closes_after_its_request_still_gets_the_answer(served: int) -> None:
    """Its FIN can be read in the same turn as the request, before the held answer is flushed: the loop
    then closes the real transport itself (``eof_received``), and uvicorn's own protocols still answer."""
    for _ in range(10):
        with socket.create_connection(("127.0.0.1", served), timeout=10) as conn:
            conn.sendall(GET)
            conn.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := conn.recv(65536):
                received += chunk
        assert received.startswith(b"HTTP/1.1 201 ") and received.endswith(BODY), received
