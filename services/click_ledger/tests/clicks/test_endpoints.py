"""Clicks over HTTP: by id or URL, one per thing and period, no self clicks, revocation, listing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from trickle_click_ledger.models import Click, Thing
from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.apps import sessions_of
from ..support.things import register


async def count(client: httpx.AsyncClient, model: Any) -> int:
    async with sessions_of(client)() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_patron_clicks_a_thing_once_per_period(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    creator, patron = new_id("acct"), new_id("acct")
    thing = await register(client, tokens, creator, f"https://creator.example/{creator}", weight=5)

    first = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))
    again = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))

    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    body = first.json()
    assert body["patron_id"] == patron and body["owner_id"] == creator and body["weight"] == 5
    assert body["public"] is False  # private unless the patron chose public giving
    assert first.headers["location"] == f"/v1/clicks/{body['id']}"


async def test_clicking_an_unknown_url_creates_one_unclaimed_thing(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    patron, other = new_id("acct"), new_id("acct")
    url = f"https://unknown.example/{patron}?utm_source=feed&b=2&a=1#top"
    first = await client.post("/v1/clicks", json={"url": url}, headers=tokens.headers(patron))
    second = await client.post(
        "/v1/clicks", json={"url": f"HTTPS://UNKNOWN.example:443/{patron}?a=1&b=2"}, headers=tokens.headers(other)
    )
    assert first.status_code == 201 and second.status_code == 201
    assert first.json()["thing_id"] == second.json()["thing_id"]
    assert first.json()["owner_id"] is None

    thing = (await client.get("/v1/things/lookup", params={"url": url})).json()
    assert thing["id"] == first.json()["thing_id"]
    assert thing["url"] == f"https://unknown.example/{patron}?a=1&b=2"
    assert thing["owner_id"] is None and thing["domain"] == "unknown.example"


async def test_a_patron_cannot_click_their_own_thing(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    creator = new_id("acct")
    thing = await register(client, tokens, creator, f"https://self.example/{creator}")
    before = await count(client, Click)

    response = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(creator))

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "self_click"
    assert await count(client, Click) == before


async def test_a_revoked_click_leaves_the_period_and_may_be_clicked_again(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator, patron = new_id("acct"), new_id("acct")
    thing = await register(client, tokens, creator, f"https://revoke.example/{creator}")
    click = (await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))).json()

    revoked = await client.delete(f"/v1/clicks/{click['id']}", headers=tokens.headers(patron))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    listed = (await client.get("/v1/clicks", headers=tokens.headers(patron))).json()
    assert listed["data"] == []
    with_revoked = (
        await client.get("/v1/clicks", params={"include_revoked": "true"}, headers=tokens.headers(patron))
    ).json()
    assert [c["id"] for c in with_revoked["data"]] == [click["id"]]

    again = await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))
    assert again.status_code == 201 and again.json()["id"] != click["id"]


async def test_a_click_of_a_sealed_period_cannot_be_revoked(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    creator, patron = new_id("acct"), new_id("acct")
    thing = await register(client, tokens, creator, f"https://sealed.example/{creator}")
    click = (await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))).json()
    sealed = await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())
    assert sealed.status_code == 200, sealed.text
    assert sealed.json()["sealed"]["id"] == click["period"]

    response = await client.delete(f"/v1/clicks/{click['id']}", headers=tokens.headers(patron))

    assert response.status_code == 409 and response.json()["code"] == "period_sealed"
    assert (await client.get(f"/v1/clicks/{click['id']}", headers=tokens.headers(patron))).json()["revoked_at"] is None


async def test_my_clicks_are_listed_by_period_with_cursor_pagination(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator, patron = new_id("acct"), new_id("acct")
    ids = []
    for i in range(5):
        thing = await register(client, tokens, creator, f"https://page.example/{creator}/{i}")
        ids.append(
            (await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))).json()
        )
    period = ids[0]["period"]
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params: dict[str, Any] = {"period": period, "limit": 2}
        if cursor:
            params["starting_after"] = cursor
        page = (await client.get("/v1/clicks", params=params, headers=tokens.headers(patron))).json()
        seen += [c["id"] for c in page["data"]]
        cursor = page["next_starting_after"]
        if not page["has_more"]:
            break
    assert seen == sorted(c["id"] for c in ids)
    other_period = (await client.get("/v1/clicks", params={"period": "1999-01"}, headers=tokens.headers(patron))).json()
    assert other_period["data"] == []


async def test_nobody_else_sees_a_patrons_clicks(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    creator, patron, snoop = new_id("acct"), new_id("acct"), new_id("acct")
    thing = await register(client, tokens, creator, f"https://private.example/{creator}")
    click = (await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(patron))).json()

    assert (await client.get(f"/v1/clicks/{click['id']}", headers=tokens.headers(snoop))).status_code == 404
    assert (await client.delete(f"/v1/clicks/{click['id']}", headers=tokens.headers(snoop))).status_code == 404
    listing = await client.get("/v1/clicks", params={"patron_id": patron}, headers=tokens.headers(snoop))
    assert listing.status_code == 403
    as_operator = await client.get("/v1/clicks", params={"patron_id": patron}, headers=tokens.operator_headers())
    assert [c["id"] for c in as_operator.json()["data"]] == [click["id"]]
    # The creator sees the click on their thing, but not who made it (the patron gives privately).
    seen = (await client.get(f"/v1/things/{thing['id']}/clicks", headers=tokens.headers(creator))).json()
    assert [(c["id"], c["patron_id"]) for c in seen["data"]] == [(click["id"], None)]


async def test_bad_input_is_refused_with_problem_json_and_nothing_is_stored(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    patron = new_id("acct")
    things_before, clicks_before = await count(client, Thing), await count(client, Click)
    headers = tokens.headers(patron)
    cases = [
        ({"url": "ftp://files.example/x"}, 422, "invalid_url"),
        ({"url": "javascript:alert(1)"}, 422, "invalid_url"),
        ({"url": "https://a.example/", "thing_id": "thing_" + "0" * 32}, 422, "validation_error"),
        ({}, 422, "validation_error"),
        ({"thing_id": "not-an-id"}, 422, "validation_error"),
        ({"url": "https://a.example/", "extra": 1}, 422, "validation_error"),
        ({"url": "https://a.example/" + "x" * 3000}, 422, "validation_error"),
        ({"thing_id": "thing_" + "0" * 32}, 404, "not_found"),
    ]
    for body, status, code in cases:
        response = await client.post("/v1/clicks", json=body, headers=headers)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == code
    malformed = await client.post(
        "/v1/clicks", content=b'{"url": ', headers={**headers, "content-type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.json()["code"] == "malformed_json"
    for body in (
        {"url": "https://w.example/", "weight": 0},
        {"url": "https://w.example/", "weight": 101},
        {"url": "https://w.example/", "category": "Not A Slug!"},
        {"url": "gopher://w.example/"},
    ):
        response = await client.post("/v1/things", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
    assert await count(client, Thing) == things_before
    assert await count(client, Click) == clicks_before


async def test_auth_matrix(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    patron = new_id("acct")
    body = {"url": f"https://auth.example/{patron}"}
    assert (await client.post("/v1/clicks", json=body)).status_code == 401
    assert (await client.post("/v1/clicks", json=body, headers=tokens.expired_headers(patron))).status_code == 401
    assert (await client.post("/v1/clicks", json=body, headers=tokens.forged_headers(patron))).status_code == 401
    read_only = tokens.headers(patron, ["clicks:read"])
    response = await client.post("/v1/clicks", json=body, headers=read_only)
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    assert (await client.get("/v1/clicks", headers=tokens.headers(patron, ["wallet:read"]))).status_code == 403
    operator_click = await client.post("/v1/clicks", json=body, headers=tokens.operator_headers())
    assert operator_click.status_code == 403 and operator_click.json()["code"] == "account_required"
    # Sealing is for operators only, whatever scopes an account token carries.
    seal = await client.post("/v1/periods/current/seal", headers=tokens.headers(patron))
    assert seal.status_code == 403
    assert (await client.post("/v1/periods/current/seal")).status_code == 401
    assert (await client.get("/v1/clicks/clk_" + "0" * 32, headers=tokens.headers(patron))).status_code == 404
    for response in [await client.post("/v1/clicks", json=body)]:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"


async def test_idempotency_key_replays_the_first_response(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    patron = new_id("acct")
    headers = {**tokens.headers(patron), "Idempotency-Key": f"k-{patron}"}
    body = {"url": f"https://idem.example/{patron}"}
    first = await client.post("/v1/clicks", json=body, headers=headers)
    replay = await client.post("/v1/clicks", json=body, headers=headers)
    other = await client.post("/v1/clicks", json={"url": "https://idem.example/other"}, headers=headers)
    assert first.status_code == 201 and replay.status_code == 201
    assert replay.headers.get("idempotent-replayed") == "true"
    assert replay.json() == first.json()
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
