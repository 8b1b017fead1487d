"""Rate limits per caller (429 problem+json with ``Retry-After``), in the ``limits`` library's notation.

The caller is the subject of a valid bearer token, otherwise the client address (behind a
proxy, run uvicorn with ``--proxy-headers`` and ``--forwarded-allow-ips=<the proxy's address>``
so that it is the real client's, and only the proxy is believed). The limit is checked before
the app runs and costs no I/O: no database session, no JWKS fetch. The token endpoint has
its own, stricter limit per address. Settings:
``rate_limit_enabled``, ``rate_limit`` (e.g. ``"100/second"`` or ``"100/second;2000/minute"``),
``rate_limit_token``, ``rate_limit_storage`` (``memory://`` counts per process; a shared
storage such as ``redis://…`` counts across replicas).

Every limit is a moving window: at most N hits in any period-long window. ``memory://`` is
counted here, in the event loop (a bounded deque of hit times per caller and limit, swept
lazily): the ``limits`` library's memory storages hop to a thread per hit (async) or rescan
every key from a timer thread every 10 ms (sync), which under load costs more than the
request. Other storages go through ``limits``' async moving-window strategy.

Applied by ``trickle_kit.edge.EdgeMiddleware`` (``over_limit``), before the app runs.
"""

from __future__ import annotations

import math
import time
from collections import deque

from limits import RateLimitItem, parse_many
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.requests import Request
from starlette.types import Scope

from trickle_kit.auth import TOKEN_URL, verifier_of
from trickle_kit.problems import ProblemError
from trickle_kit.settings import KitSettings

EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})


class MemoryWindows:
    """Moving windows in this process: per (limit, caller) the times of the hits still inside the window."""

    def __init__(self, sweep_interval_s: float = 10.0) -> None:
        self._hits: dict[tuple[str, str], tuple[float, deque[float]]] = {}
        self._sweep_interval_s = sweep_interval_s
        self._next_sweep = time.monotonic() + sweep_interval_s

    def hit(self, items: list[RateLimitItem], caller: str) -> int | None:
        """Count one request against every limit; ``None`` when allowed, else the seconds until it would be.

        A refused request counts against none of the limits.
        """
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        windows: list[deque[float]] = []
        for item in items:
            key = (item.key_for(), caller)
            entry = self._hits.get(key)
            if entry is None:
                entry = self._hits[key] = (float(item.get_expiry()), deque(maxlen=item.amount))
            period, hits = entry
            while hits and hits[0] <= now - period:
                hits.popleft()
            if len(hits) >= item.amount:
                return max(1, math.ceil(hits[0] + period - now))
            windows.append(hits)
        for hits in windows:
            hits.append(now)
        return None

    def _sweep(self, now: float) -> None:
        """Forget windows whose last hit has left them (memory stays bounded by recent callers)."""
        for key in [k for k, (period, hits) in self._hits.items() if not hits or hits[-1] <= now - period]:
            del self._hits[key]
        self._next_sweep = now + self._sweep_interval_s

    def __len__(self) -> int:
        return len(self._hits)


class RateLimiter:
    """Counts hits per (limit, caller) and says how long a refused caller should wait."""

    def __init__(self, *, default: str, token: str, storage: str = "memory://") -> None:
        self.memory: MemoryWindows | None = None
        self.strategy: MovingWindowRateLimiter | None = None
        if storage.removeprefix("async+").startswith("memory://"):
            self.memory = MemoryWindows()
        else:
            uri = storage if storage.startswith("async+") else f"async+{storage}"
            self.strategy = MovingWindowRateLimiter(storage_from_string(uri))
        self.default: list[RateLimitItem] = parse_many(default)
        self.token: list[RateLimitItem] = parse_many(token)

    @classmethod
    def from_settings(cls, settings: KitSettings) -> RateLimiter:
        return cls(default=settings.rate_limit, token=settings.rate_limit_token, storage=settings.rate_limit_storage)

    async def hit(self, items: list[RateLimitItem], caller: str) -> int | None:
        """Count one request; ``None`` when allowed, else the seconds until it would be."""
        if self.memory is not None:
            return self.memory.hit(items, caller)
        assert self.strategy is not None
        for item in items:
            if not await self.strategy.hit(item, caller):
                stats = await self.strategy.get_window_stats(item, caller)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None


async def caller_of(scope: Scope, authorization: bytes | None) -> str:
    """``sub:<subject>`` of a valid bearer token (``authorization``, the header's value), else ``ip:<client address>``.

    No I/O: the token is checked against the keys the verifier already holds (a key id it
    does not know is counted by address; the endpoint, once the request is within its limit,
    may fetch the JWKS). The verifier remembers verified tokens, so the endpoint's own check
    of the same token costs a dictionary look-up.
    """
    if authorization is not None:
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and token:
            try:
                principal = await verifier_of(Request(scope)).verify(token.strip(), refresh=False)
            except ProblemError:
                pass  # an invalid token is limited by address; the endpoint will refuse it anyway
            else:
                return f"sub:{principal.subject}"
    return f"ip:{_client_host(scope)}"


def _client_host(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def over_limit(limiter: RateLimiter, scope: Scope, authorization: bytes | None) -> int | None:
    """Count this request against its caller's limits (the token endpoint's own per address);
    ``None`` when within them, else the seconds to put in ``Retry-After`` of the 429.

    ``trickle_kit.edge.EdgeMiddleware`` asks before the app runs (not for ``EXEMPT_PATHS``).
    """
    if scope["path"] == TOKEN_URL:
        return await limiter.hit(limiter.token, f"token:{_client_host(scope)}")
    return await limiter.hit(limiter.default, await caller_of(scope, authorization))


def rate_limiter_of(settings: KitSettings) -> RateLimiter | None:
    """The app's limiter, or None when ``settings.rate_limit_enabled`` is false."""
    return RateLimiter.from_settings(settings) if settings.rate_limit_enabled else None
