"""An API's ``/metrics``: requests by route template (never the raw path), method and status, with latency."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI
from prometheus_client.parser import text_string_to_metric_families

from trickle_kit.app import create_app
from trickle_kit.settings import KitSettings

router = APIRouter()


@router.get("/v1/things/{thing_id}")
async def get_thing(thing_id: str) -> dict[str, str]:
    return {"id": thing_id}


@router.post("/v1/things")
async def create_thing(body: dict[str, str]) -> dict[str, str]:
    return body


def app_of(**settings: object) -> FastAPI:
    return create_app(KitSettings(log_json=False, **settings), title="t", routers=[router])  # type: ignore[arg-type]


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """``{sorted labels: value}`` of the samples called ``name`` in a scrape."""
    found: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def count(text: str, method: str, route: str, status: int) -> float:
    key = (("method", method), ("route", route), ("status", str(status)))
    return samples(text, "trickle_http_requests_total").get(key, 0.0)


async def test_requests_are_counted_by_route_template_so_ids_make_no_new_series() -> None:
    app = app_of(rate_limit_enabled=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        before = await scrape(client)
        for thing_id in ("thg_one", "thg_two", "thg_three"):
            assert (await client.get(f"/v1/things/{thing_id}")).status_code == 200
        after = await scrape(client)
    template = "/v1/things/{thing_id}"
    assert count(after, "GET", template, 200) - count(before, "GET", template, 200) == 3
    assert "thg_one" not in after and "thg_two" not in after
    durations = samples(after, "trickle_http_request_duration_seconds_count")
    assert durations[(("method", "GET"), ("route", template))] >= 3


async def test_answers_given_before_routing_keep_their_route_and_made_up_paths_or_methods_add_no_series() -> None:
    app = app_of(rate_limit_enabled=False, max_body_bytes=1024)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        before = await scrape(client)
        too_large = await client.post("/v1/things", content=b"x" * 5000, headers={"content-type": "application/json"})
        assert too_large.status_code == 413
        for n in range(3):
            assert (await client.get(f"/nowhere/{n}")).status_code == 404
        await client.request("BREW", "/v1/things/thg_x")
        after = await scrape(client)
    assert count(after, "POST", "/v1/things", 413) - count(before, "POST", "/v1/things", 413) == 1
    assert count(after, "GET", "<unmatched>", 404) - count(before, "GET", "<unmatched>", 404) == 3
    assert "/nowhere/" not in after
    assert 'method="BREW"' not in after
    other = samples(after, "trickle_http_requests_total")
    assert any(dict(labels)["method"] == "OTHER" for labels in other)


async def test_metrics_is_not_part_of_the_api_document() -> None:
    app = app_of()
    assert "/metrics" not in app.openapi()["paths"]
