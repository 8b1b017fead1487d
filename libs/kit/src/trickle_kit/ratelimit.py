"""Rate limits per caller (429 problem+json with ``Retry-After``), built on the ``limits`` library.

The caller is the subject of a valid bearer token, otherwise the client address (behind a
proxy, run uvicorn with ``--proxy-headers`` and ``--forwarded-allow-ips`` so that it is the
real client's). The token endpoint has its own, stricter limit per address. Settings:
``rate_limit_enabled``, ``rate_limit`` (e.g. ``"100/second"`` or ``"100/second;2000/minute"``),
``rate_limit_token``, ``rate_limit_storage`` (``memory://`` counts per process; a shared
storage such as ``redis://…`` counts across replicas).
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from limits import RateLimitItem, parse_many
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from trickle_kit.auth import TOKEN_URL, verifier_of
from trickle_kit.problems import Problem, ProblemError, problem_response
from trickle_kit.settings import KitSettings

EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})


class RateLimiter:
    """Counts hits per (limit, caller) and says how long a refused caller should wait."""

    def __init__(self, *, default: str, token: str, storage: str = "memory://") -> None:
        uri = storage if storage.startswith("async+") else f"async+{storage}"
        self.strategy = MovingWindowRateLimiter(storage_from_string(uri))
        self.default: list[RateLimitItem] = parse_many(default)
        self.token: list[RateLimitItem] = parse_many(token)

    @classmethod
    def from_settings(cls, settings: KitSettings) -> RateLimiter:
        return cls(default=settings.rate_limit, token=settings.rate_limit_token, storage=settings.rate_limit_storage)

    async def hit(self, items: list[RateLimitItem], caller: str) -> int | None:
        """Count one request; ``None`` when allowed, else the seconds until it would be."""
        for item in items:
            if not await self.strategy.hit(item, caller):
                stats = await self.strategy.get_window_stats(item, caller)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None


async def caller_of(request: Request) -> str:
    """``sub:<subject>`` of a valid bearer token, else ``ip:<client address>``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            principal = await verifier_of(request).verify(token.strip())
        except ProblemError:
            pass  # an invalid token is limited by address; the endpoint will refuse it anyway
        else:
            return f"sub:{principal.subject}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


def install_rate_limits(app: FastAPI, settings: KitSettings) -> None:
    """Add the rate-limit middleware (nothing when ``settings.rate_limit_enabled`` is false)."""
    if not settings.rate_limit_enabled:
        return
    limiter = RateLimiter.from_settings(settings)
    app.state.rate_limiter = limiter

    @app.middleware("http")
    async def rate_limit(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if path in EXEMPT_PATHS:
            return await call_next(request)
        if path == TOKEN_URL:
            host = request.client.host if request.client else "unknown"
            retry_after = await limiter.hit(limiter.token, f"token:{host}")
        else:
            retry_after = await limiter.hit(limiter.default, await caller_of(request))
        if retry_after is None:
            return await call_next(request)
        return problem_response(
            request,
            Problem(
                status=429,
                code="rate_limited",
                title="Too many requests",
                detail=f"Rate limit exceeded; retry in {retry_after} s",
            ),
            headers={"Retry-After": str(retry_after)},
        )
