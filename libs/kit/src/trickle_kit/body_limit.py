"""The request body limit (``max_body_bytes``), however the body arrives: 413 problem+json.

A declared ``Content-Length`` over the limit (or not a number) is refused before the app
runs. A body without one (``Transfer-Encoding: chunked``) or one longer than it said is
counted as it streams in: ``receive`` is wrapped, and the first chunk that takes the count
over the limit stops the request. The app sees ``BodyTooLarge`` (a 413 ``ProblemError``)
from ``receive``; whatever it makes of that (FastAPI turns errors while reading a body into
a 400), its response is dropped and the 413 is sent instead, unless it had already started
answering. The rest of the body is never read.

Plain ASGI, like the other kit middleware: no task or memory stream per request.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trickle_kit.problems import Problem, ProblemError, problem_response


class BodyTooLarge(ProblemError):
    """Raised from ``receive`` when the body being read has passed the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "payload_too_large", "Payload too large", f"Request bodies are limited to {limit} bytes")


class BodyLimitMiddleware:
    """413 problem+json for request bodies over ``max_body`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length: str | None = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value.decode("latin-1")
                break
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse(scope, receive, send)
            return

        limit = self.max_body
        received = 0
        tripped = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, tripped
            if tripped:  # the app asks again after the error: the body is over for it
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    tripped = True
                    raise BodyTooLarge(limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if tripped and not started:
                return  # the app's answer to the cut-off body (a 400, a 500): the 413 replaces it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not tripped or started:
                raise
        if tripped and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = BodyTooLarge(self.max_body)
        problem = Problem(status=413, code=error.code, title=error.title, detail=error.detail)
        response = problem_response(Request(scope), problem, headers={"Connection": "close"})
        await response(scope, receive, send)
