"""What every request of a Trickle API meets first, in one ASGI layer: metrics, request ids and
the access log, the body limit, the rate limit.

They were four middlewares, each a coroutine call, a ``send`` wrapper and a pass over the
headers per request; under load that was more CPU than many endpoints. Here they run in the
order they ran as layers, outermost first:

1. **metrics** (``trickle_kit.metrics_http``): every answer is counted by route template,
   the 413s and 429s below too, and the time until the response was sent;
2. **request id**: ``X-Request-Id`` is echoed (or a new one made), kept in the request's
   state and the log context, set on every response (413s and 429s too); one log line per
   request once answered (not for the health probes);
3. **body limit** (``trickle_kit.body_limit``): a declared ``Content-Length`` over the
   limit (or not a number) gets a 413 before the app runs; a body streamed past it stops the
   request, and the app's answer to the cut-off body is replaced by the 413;
4. **rate limit** (``trickle_kit.ratelimit``): a caller over its limit gets a 429 with
   ``Retry-After`` before the app runs, without I/O.

The headers are read in one pass; ``receive`` is wrapped only to count a body.
"""

from __future__ import annotations

import time

import structlog
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trickle_kit.body_limit import BodyTooLarge, declared_too_large
from trickle_kit.ids import new_id
from trickle_kit.metrics_http import HttpMetrics
from trickle_kit.problems import Problem, ProblemError, problem_response
from trickle_kit.ratelimit import EXEMPT_PATHS, RateLimiter, over_limit

UNLOGGED_PATHS = frozenset({"/healthz", "/readyz"})


class EdgeMiddleware:
    """Metrics, request ids and access log, body limit (413) and rate limit (429) of an API, as one layer.

    ``limiter`` None: no rate limit (``rate_limit_enabled`` off).
    """

    def __init__(self, app: ASGIApp, *, max_body: int, limiter: RateLimiter | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.limiter = limiter
        self.metrics = HttpMetrics()
        self.log = structlog.get_logger("trickle.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id: str | None = None
        length: bytes | None = None
        authorization: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                if request_id is None:
                    request_id = value.decode("latin-1")
            elif name == b"content-length":
                if length is None:
                    length = value
            elif name == b"authorization" and authorization is None:
                authorization = value
        request_id = request_id or new_id("req")
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        encoded_id = request_id.encode("latin-1")
        limit = self.max_body
        status = 500
        received = 0
        tripped = False  # the body passed the limit while the app read it
        started_answer = False

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

        async def edge_send(message: Message) -> None:
            nonlocal status, started_answer
            if message["type"] == "http.response.start":
                if tripped and not started_answer:
                    return  # the app's answer to the cut-off body (a 400, a 500): the 413 replaces it
                started_answer = True
                status = message["status"]
                message["headers"] = [
                    *(h for h in message.get("headers", ()) if h[0].lower() != b"x-request-id"),
                    (b"x-request-id", encoded_id),
                ]
            elif tripped and not started_answer:
                return
            await send(message)

        try:
            if length is not None and declared_too_large(length, limit):
                await self._refuse(scope, receive, edge_send, BodyTooLarge(limit), {"Connection": "close"})
            elif (retry_after := await self._over_limit(scope, authorization)) is not None:
                await self._refuse(
                    scope,
                    receive,
                    edge_send,
                    ProblemError(
                        429, "rate_limited", "Too many requests", f"Rate limit exceeded; retry in {retry_after} s"
                    ),
                    {"Retry-After": str(retry_after)},
                )
            else:
                try:
                    await self.app(scope, counting_receive, edge_send)
                except Exception:
                    if not tripped or started_answer:
                        raise
                if tripped and not started_answer:
                    tripped = False  # the 413 goes out
                    await self._refuse(scope, receive, edge_send, BodyTooLarge(limit), {"Connection": "close"})
            path = scope["path"]
            if path not in UNLOGGED_PATHS:
                self.log.info("request", method=scope["method"], path=path, status=status)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
            self.metrics.record(scope, status, time.perf_counter() - started)

    async def _over_limit(self, scope: Scope, authorization: bytes | None) -> int | None:
        if self.limiter is None or scope["path"] in EXEMPT_PATHS:
            return None
        return await over_limit(self.limiter, scope, authorization)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, error: ProblemError, headers: dict[str, str]) -> None:
        problem = Problem(status=error.status, code=error.code, title=error.title, detail=error.detail)
        await problem_response(Request(scope), problem, headers=headers)(scope, receive, send)
