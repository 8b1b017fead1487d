"""Input the domain refuses is a 422 problem naming the field where the request carried it.

The services name the input (``url``, ``domain``, ``path_prefix``); the endpoint says where it
came from (``body.url`` for a POST, ``query.url`` for the look-up).
"""

from __future__ import annotations

from typing import Any

import httpx

from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory


def refusal(response: httpx.Response) -> tuple[int, str, list[str]]:
    body: dict[str, Any] = response.json()
    return response.status_code, body["code"], [e["field"] for e in body.get("errors") or []]


async def test_a_refused_url_is_named_where_it_was_sent(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    headers = tokens.headers(new_id("acct"))
    clicked = await client.post("/v1/clicks", json={"url": "ftp://files.example/x"}, headers=headers)
    registered = await client.post("/v1/things", json={"url": "gopher://w.example/"}, headers=headers)
    looked_up = await client.get("/v1/things/lookup", params={"url": "ftp://x/"})

    assert refusal(clicked) == (422, "invalid_url", ["body.url"])
    assert refusal(registered) == (422, "invalid_url", ["body.url"])
    assert refusal(looked_up) == (422, "invalid_url", ["query.url"])
    assert clicked.headers["content-type"] == "application/problem+json"


async def test_a_refused_claim_target_is_named_where_it_was_sent(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    headers = tokens.headers(new_id("acct"))

    async def claim(body: dict[str, Any]) -> httpx.Response:
        return await client.post("/v1/claims", json=body, headers=headers)

    assert refusal(await claim({"domain": "not a domain"})) == (422, "invalid_domain", ["body.domain"])
    assert refusal(await claim({"domain": "github.com"})) == (422, "shared_host_needs_prefix", ["body.path_prefix"])
    assert refusal(await claim({"domain": "blog.example.org", "path_prefix": "/me"})) == (
        422,
        "prefix_needs_shared_host",
        ["body.path_prefix"],
    )
