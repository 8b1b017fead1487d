"""Request bodies are capped however they arrive: a declared Content-Length, or a chunked
stream counted as it is read (in-process and through a real uvicorn)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import uvicorn
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

from trickle_kit.app import create_app
from trickle_kit.settings import KitSettings

LIMIT = 64 * 1024
router = APIRouter()
handled: list[str] = []


class Payload(BaseModel):
    text: str


@router.post("/v1/echo")
async def echo(payload: Payload) -> dict[str, int]:
    handled.append("echo")
    return {"length": len(payload.text)}


@router.post("/v1/raw")
async def raw(request: Request) -> dict[str, int]:
    body = await request.body()
    handled.append("raw")
    return {"length": len(body)}


def make_app() -> FastAPI:
    settings = KitSettings(log_json=False, max_body_bytes=LIMIT, rate_limit_enabled=False)
    return create_app(settings, title="t", routers=[router])


def chunks(total: int, size: int = 16 * 1024) -> Iterator[bytes]:
    """A JSON document of about ``total`` bytes, in chunks (httpx sends it without a Content-Length)."""
    yield b'{"text": "'
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}'


async def achunks(total: int) -> AsyncIterator[bytes]:
    for chunk in chunks(total):
        yield chunk


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"
    assert response.headers["x-request-id"]


async def test_a_chunked_body_over_the_limit_is_refused_before_the_endpoint_runs() -> None:
    handled.clear()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app()), base_url="http://t") as c:
        for path in ("/v1/echo", "/v1/raw"):
            response = await c.post(
                path, content=achunks(10 * 1024 * 1024), headers={"Content-Type": "application/json"}
            )
            assert "content-length" not in response.request.headers
            assert response.request.headers["transfer-encoding"] == "chunked"
            assert_too_large(response)
        assert handled == []
        # Under the limit, chunked or not, the endpoints answer.
        small = await c.post("/v1/echo", content=achunks(LIMIT // 2), headers={"Content-Type": "application/json"})
        assert small.status_code == 200, small.text
        declared = await c.post("/v1/raw", content=b"y" * LIMIT)
        assert declared.status_code == 200 and declared.json() == {"length": LIMIT}
    assert handled == ["echo", "raw"]


async def test_a_declared_length_over_the_limit_or_not_a_number_is_refused() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app()), base_url="http://t") as c:
        assert_too_large(await c.post("/v1/raw", content=b"y" * (LIMIT + 1)))
        assert_too_large(await c.post("/v1/raw", content=b"y", headers={"Content-Length": "1e9"}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "uvicorn stopped before it started"
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = server.force_exit = True  # a request still waiting for its body ends too
        await task


async def test_a_real_uvicorn_answers_413_while_a_chunked_body_is_still_arriving() -> None:
    """A raw HTTP/1.1 client announces a chunked body, sends 4x the limit and not the end: the
    413 comes back anyway (the server counted the stream; it did not wait for 10 MB)."""
    handled.clear()
    async with served(make_app()) as base:
        host, port = base.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            b"POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for chunk in chunks(4 * LIMIT):
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()  # no terminating 0-chunk: the body is not over
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 20)
        writer.close()
        assert head.startswith(b"HTTP/1.1 413 "), head
        assert b"content-type: application/problem+json" in head.lower()
        async with httpx.AsyncClient(base_url=base) as c:
            ok = await c.post("/v1/echo", json={"text": "hi"})
            assert ok.status_code == 200
    assert handled == ["echo"]
