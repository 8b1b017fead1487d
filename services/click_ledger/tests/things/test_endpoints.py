"""Things over HTTP: register, update, list own, look up; the OpenAPI document."""

from __future__ import annotations

import httpx

from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.ownership import prove_ownership


async def test_an_owner_registers_updates_and_lists_things(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    owner, stranger = new_id("acct"), new_id("acct")
    await prove_ownership(client, owner, f"https://owner.example/{owner}")
    made = await client.post(
        "/v1/things",
        json={"url": f"https://Owner.example/{owner}?utm_medium=rss", "title": "A post", "category": "article"},
        headers=tokens.headers(owner),
    )
    assert made.status_code == 201, made.text
    thing = made.json()
    assert thing["url"] == f"https://owner.example/{owner}" and thing["weight"] == 1
    again = await client.post("/v1/things", json={"url": thing["url"]}, headers=tokens.headers(stranger))
    assert again.status_code == 409 and again.json()["code"] == "thing_exists"

    changed = await client.patch(f"/v1/things/{thing['id']}", json={"weight": 40}, headers=tokens.headers(owner))
    assert changed.status_code == 200 and changed.json()["weight"] == 40 and changed.json()["title"] == "A post"
    assert (
        await client.patch(f"/v1/things/{thing['id']}", json={"weight": 7}, headers=tokens.headers(stranger))
    ).status_code == 404
    assert (
        await client.patch(f"/v1/things/{thing['id']}", json={"weight": 101}, headers=tokens.headers(owner))
    ).status_code == 422
    assert (await client.get(f"/v1/things/{thing['id']}")).json()["weight"] == 40

    # A click carries the weight in force when it is made.
    click = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(stranger))
    assert click.json()["weight"] == 40

    mine = (await client.get("/v1/things", headers=tokens.headers(owner))).json()
    assert [t["id"] for t in mine["data"]] == [thing["id"]]
    assert (await client.get("/v1/things", headers=tokens.headers(stranger))).json()["data"] == []
    found = await client.get("/v1/things/lookup", params={"url": f"HTTPS://owner.example:443/{owner}#x"})
    assert found.json()["id"] == thing["id"]
    missing = await client.get("/v1/things/lookup", params={"url": "https://nobody.example/"})
    assert missing.status_code == 404
    bad = await client.get("/v1/things/lookup", params={"url": "ftp://x/"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_url"


async def test_the_openapi_document_names_every_operation(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "register_thing",
        "update_thing",
        "list_things",
        "lookup_thing",
        "get_thing",
        "create_click",
        "list_clicks",
        "revoke_click",
        "create_claim",
        "verify_claim",
        "create_subscription",
        "cancel_subscription",
        "seal_current_period",
        "get_thing_counts",
        "get_thing_button",
        "get_embed_script",
    } <= operations
    create_click = spec["paths"]["/v1/clicks"]["post"]
    assert {"200", "201", "401", "403", "409", "422"} <= set(create_click["responses"])
