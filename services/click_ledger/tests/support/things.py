"""Things a test needs: registered over HTTP by a creator who proved ownership first."""

from __future__ import annotations

from typing import Any

import httpx

from trickle_kit.testing_auth import TokenFactory

from .ownership import prove_ownership


async def register(
    client: httpx.AsyncClient, tokens: TokenFactory, owner: str, url: str, **extra: Any
) -> dict[str, Any]:
    """``owner`` proves the URL's site, registers the thing at it and owns it: the thing as answered."""
    await prove_ownership(client, owner, url)
    response = await client.post("/v1/things", json={"url": url, **extra}, headers=tokens.headers(owner))
    assert response.status_code == 201, response.text
    assert response.json()["owner_id"] == owner, response.text
    return dict(response.json())
