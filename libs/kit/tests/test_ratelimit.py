"""Rate limits: per token subject (else per address), a stricter one on the token endpoint, 429 + Retry-After."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from limits import parse_many

from trickle_kit import ratelimit
from trickle_kit.app import create_app
from trickle_kit.auth import TOKEN_URL
from trickle_kit.settings import KitSettings
from trickle_kit.testing_auth import TokenFactory

router = APIRouter()


@router.get("/v1/things")
async def list_things() -> dict[str, bool]:
    return {"ok": True}


@router.post(TOKEN_URL)
async def create_token() -> dict[str, bool]:
    return {"ok": True}


def make_app(tf: TokenFactory, **overrides: object) -> FastAPI:
    settings = KitSettings(log_json=False, rate_limit="3/minute", rate_limit_token="2/minute", **overrides)  # type: ignore[arg-type]
    app = create_app(settings, title="t", routers=[router])
    app.state.verifier = tf.verifier()
    return app


def client_of(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_caller_over_the_limit_gets_a_429_problem_with_retry_after() -> None:
    tf = TokenFactory()
    async with client_of(make_app(tf)) as c:
        headers = tf.headers("acct_a")
        statuses = [(await c.get("/v1/things", headers=headers)).status_code for _ in range(3)]
        refused = await c.get("/v1/things", headers=headers)
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-request-id"]


async def test_each_token_subject_has_its_own_budget_and_anonymous_calls_share_the_address() -> None:
    tf = TokenFactory()
    async with client_of(make_app(tf)) as c:
        for _ in range(3):
            assert (await c.get("/v1/things", headers=tf.headers("acct_a"))).status_code == 200
        assert (await c.get("/v1/things", headers=tf.headers("acct_a"))).status_code == 429
        assert (await c.get("/v1/things", headers=tf.headers("acct_b"))).status_code == 200
        # Forged tokens do not get a fresh budget each: they count against the address.
        forged = [(await c.get("/v1/things", headers=tf.forged_headers(f"acct_{i}"))).status_code for i in range(4)]
        assert forged == [200, 200, 200, 429]
        assert (await c.get("/v1/things")).status_code == 429


async def test_the_token_endpoint_has_its_own_stricter_limit() -> None:
    async with client_of(make_app(TokenFactory())) as c:
        statuses = [(await c.post(TOKEN_URL)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert (await c.get("/v1/things")).status_code == 200


async def test_limits_can_be_switched_off() -> None:
    async with client_of(make_app(TokenFactory(), rate_limit_enabled=False)) as c:
        statuses = {(await c.get("/v1/things")).status_code for _ in range(10)}
    assert statuses == {200}


def test_memory_windows_refuse_within_any_window_and_forget_idle_callers(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    windows = ratelimit.MemoryWindows(sweep_interval_s=5)
    per_second, per_minute = parse_many("2/second;3/minute")
    items = [per_second, per_minute]
    assert [windows.hit(items, "a"), windows.hit(items, "a")] == [None, None]
    assert windows.hit(items, "a") == 1  # the second's window is full
    clock[0] += 1.0
    assert windows.hit(items, "a") is None  # the refused hit counted against neither limit
    clock[0] += 1.0
    assert windows.hit(items, "a") == 58  # the minute's window is full until its first hit leaves it
    assert windows.hit(items, "b") is None  # another caller has its own windows
    clock[0] += 59.0
    assert windows.hit(items, "a") is None  # the first hit left the minute's window (a moving window)
    assert len(windows) == 3  # the sweep on that hit forgot b's per-second window (its hit left it)
    clock[0] += 61.0
    windows.hit(items, "c")  # the sweep forgets a's and b's windows, whose hits are all older than a minute
    assert len(windows) == 2
