"""uvicorn's HTTP protocols with a response's writes joined into one system call.

uvicorn writes a response's status line and headers when the app sends
``http.response.start`` and the body when it sends ``http.response.body``: two
``transport.write`` calls, and uvloop (like asyncio) sends each to the socket at once. For a
small JSON answer that is two ``send`` system calls, and on a busy machine the client often
wakes for the headers alone and again for the body. Here the connection's transport holds
what is written during one turn of the event loop and sends it as one write from a callback
of the next iteration (``loop.call_soon``), so a response sent in one go leaves in one system
call. A websocket upgraded from such a connection keeps the wrapper: its frames are joined the
same way.

Measured (`trickle_kit.serve`, 2 processes, uvloop + httptools, wrk -c64 against the bench's
bare FastAPI endpoint, three alternating pairs, 2026-12-04): 13,220–16,904 → 21,319–23,366
req/s; the server's CPU per request 0.089–0.116 → 0.072–0.080 ms and wrk's 0.029–0.034 →
0.013–0.015 ms.

Nothing is reordered or dropped: writes leave in the order made; ``close`` and ``write_eof``
send what is held first; ``abort`` drops it, as a transport's abort drops its buffer; a client
that half-closes after its request (its FIN read before the answer's turn ends, when the event
loop closes the real transport itself) gets what is held first (``eof_received``). A write
that brings the held bytes to ``FLUSH_AT`` or more is sent at once, so a large or streamed
body meets the real transport's flow control (``pause_writing``) as it did.

Use: ``uvicorn … --http trickle_kit.coalesced_writes:HttpToolsProtocol`` (the deployments and
``make run`` do), or ``python -m trickle_kit.serve`` (on by default, ``--no-coalesce-writes``).
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.h11_impl import H11Protocol as _H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _HttpToolsProtocol

FLUSH_AT = 64 * 1024


class CoalescingTransport(asyncio.Transport):
    """A transport in front of ``transport`` that sends each loop turn's writes as one."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._held_size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))
        self._held_size += len(data)
        if self._held_size >= FLUSH_AT:
            self.flush()

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        """Send what is held now (a no-op when nothing is)."""
        if not self._held:
            return
        held, self._held, self._held_size = self._held, [], 0
        if not self._transport.is_closing():
            if len(held) == 1:
                self._transport.write(held[0])
            else:  # uvloop sends the pieces in one writev, without joining (copying) a large body
                self._transport.writelines(held)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held, self._held_size = [], 0
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._held_size + self._transport.get_write_buffer_size()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()


class _Coalesced(asyncio.Protocol):
    """What both protocols below add to uvicorn's: the connection's transport is a ``CoalescingTransport``,
    flushed before the loop closes the real one on the client's FIN (``eof_received`` returning None)."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(CoalescingTransport(cast(asyncio.Transport, transport), self.loop))

    def eof_received(self) -> None:
        if isinstance(self.transport, CoalescingTransport):
            self.transport.flush()
        super().eof_received()


class HttpToolsProtocol(_Coalesced, _HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through a ``CoalescingTransport``."""


class H11Protocol(_Coalesced, _H11Protocol):
    """uvicorn's h11 protocol, writing through a ``CoalescingTransport``."""
