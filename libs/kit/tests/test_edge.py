"""The edge layer every API has (``trickle_kit.edge``): request ids on every answer, the app's own included."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI, Response

from trickle_kit.app import create_app
from trickle_kit.settings import KitSettings

router = APIRouter()


@router.get("/v1/things")
async def list_things() -> dict[str, bool]:
    return {"ok": True}


@router.get("/v1/stale")
async def stale(response: Response) -> dict[str, bool]:
    response.headers["X-Request-Id"] = "req_from_the_app"
    return {"ok": True}


def client_of(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


def make_app() -> FastAPI:
    return create_app(KitSettings(log_json=False, max_body_bytes=1024), title="t", routers=[router])


async def test_a_callers_request_id_is_echoed_and_one_is_made_up_otherwise() -> None:
    async with client_of(make_app()) as c:
        given = await c.get("/v1/things", headers={"X-Request-Id": "req_given"})
        made = await c.get("/v1/things")
    assert given.headers["x-request-id"] == "req_given"
    assert made.headers["x-request-id"].startswith("req_")
    assert made.headers["x-request-id"] != "req_given"


async def test_the_request_id_replaces_one_the_app_set_and_is_sent_once() -> None:
    async with client_of(make_app()) as c:
        response = await c.get("/v1/stale", headers={"X-Request-Id": "req_given"})
    assert response.headers.get_list("x-request-id") == ["req_given"]


async def test_refusals_before_the_app_carry_the_request_id_in_header_and_body() -> None:
    async with client_of(make_app()) as c:
        too_large = await c.post("/v1/things", content=b"x" * 5000, headers={"X-Request-Id": "req_big"})
        missing = await c.get("/nowhere", headers={"X-Request-Id": "req_lost"})
    assert too_large.status_code == 413
    assert too_large.headers["x-request-id"] == "req_big"
    assert too_large.json()["request_id"] == "req_big"
    assert missing.status_code == 404
    assert missing.json()["request_id"] == "req_lost"
