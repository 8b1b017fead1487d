"""One delivery attempt over HTTP, through the SSRF guard, with a total time-out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from trickle_kit.envelope import utcnow
from trickle_kit.ssrf import AllowList, FetchError, Pinned, SsrfRefused, check_url, pinned_request

SUCCEEDED = "succeeded"
FAILED = "failed"
TIMEOUT = "timeout"
CONNECT_ERROR = "connect_error"
REFUSED = "refused"


@dataclass(frozen=True)
class AttemptResult:
    """What happened when we POSTed: the outcome and what the attempt log keeps."""

    outcome: str
    status_code: int | None
    latency_ms: int
    started_at: datetime
    finished_at: datetime
    response_excerpt: str | None = None
    error: str | None = None
    retry_after: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.outcome == SUCCEEDED


class TargetCache:
    """Vetted addresses of endpoint URLs, reused for ``ttl_s`` (then resolved and vetted again),
    with the pinned request URL built from them (parsing a URL per delivery is not free)."""

    def __init__(self, allow: Sequence[str], ttl_s: float) -> None:
        self.allow = AllowList.parse(allow)
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Pinned]] = {}

    async def pinned(self, url: str) -> Pinned:
        """``(url to request, Host header, extensions)`` connecting to the vetted address."""
        now = time.monotonic()
        hit = self._cache.get(url)
        if hit is not None and hit[0] > now:
            return hit[1]
        pinned = pinned_request(await check_url(url, allow=self.allow))
        if self.ttl_s > 0:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[url] = (now + self.ttl_s, pinned)
        return pinned


async def _read_excerpt(response: httpx.Response, limit: int) -> str:
    if limit <= 0:
        return ""
    chunks = bytearray()
    async for chunk in response.aiter_bytes():
        chunks.extend(chunk)
        if len(chunks) >= limit:
            break
    return bytes(chunks[:limit]).decode(errors="replace")


async def send_attempt(
    client: httpx.AsyncClient,
    targets: TargetCache,
    url: str,
    body: str,
    headers: dict[str, str],
    *,
    timeout_s: float,
    excerpt_bytes: int,
) -> AttemptResult:
    """POST ``body`` to ``url``; never raises for what the receiver (or the network) does."""
    started_at = utcnow()
    t0 = time.perf_counter()

    def done(outcome: str, status: int | None = None, **extra: str | None) -> AttemptResult:
        return AttemptResult(
            outcome=outcome,
            status_code=status,
            latency_ms=int((time.perf_counter() - t0) * 1000),
            started_at=started_at,
            finished_at=utcnow(),
            **extra,
        )

    try:
        async with asyncio.timeout(timeout_s):
            pinned, host, extensions = await targets.pinned(url)
            request = client.build_request(
                "POST", pinned, content=body.encode(), headers={**headers, **host}, extensions=extensions
            )
            response = await client.send(request, stream=True)
            try:
                excerpt = await _read_excerpt(response, excerpt_bytes)
            finally:
                await response.aclose()
    except SsrfRefused as exc:
        return done(REFUSED, error=f"{exc.reason}: {exc.detail}"[:500])
    except FetchError as exc:
        return done(CONNECT_ERROR, error=f"{exc.reason}: {exc.detail}"[:500])
    except (TimeoutError, httpx.TimeoutException):
        return done(TIMEOUT, error=f"no answer within {timeout_s} s")
    except (httpx.HTTPError, OSError) as exc:
        return done(CONNECT_ERROR, error=f"{type(exc).__name__}: {exc}"[:500])
    outcome = SUCCEEDED if 200 <= response.status_code < 300 else FAILED
    return done(
        outcome,
        response.status_code,
        response_excerpt=excerpt,
        retry_after=response.headers.get("retry-after"),
    )
