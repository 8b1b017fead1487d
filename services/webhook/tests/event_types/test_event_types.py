"""The event-type catalogue comes from the shared contracts."""

from __future__ import annotations

import httpx

from trickle_events import EVENT_TYPES
from trickle_kit.testing_auth import TokenFactory


async def test_the_catalogue_lists_every_type_offered_to_webhooks_with_its_schema(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    response = await client.get("/v1/event-types", headers=tokens.headers("acct_x", ["webhooks:read"]))
    assert response.status_code == 200
    names = [t["name"] for t in response.json()["data"]]
    assert names == sorted(n for n, m in EVENT_TYPES.items() if m.offered_to_webhooks)
    assert "clicks.period.sealed" not in names
    click = next(t for t in response.json()["data"] if t["name"] == "clicks.click.registered")
    assert click["description"]
    assert {"click_id", "patron_id", "thing_id"} <= set(click["data_schema"]["properties"])
    assert (await client.get("/v1/event-types")).status_code == 401
