"""Registering a thing gives ownership only under a claim the registrant verified; one page is one thing."""

from __future__ import annotations

import unicodedata

import httpx

from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.ownership import prove_ownership


async def test_registering_without_proof_leaves_the_thing_unclaimed(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    squatter, patron = new_id("acct"), new_id("acct")
    url = f"https://someone-else.example/{squatter}/post/2"
    made = await client.post(
        "/v1/things", json={"url": url, "title": "Mine now", "weight": 100}, headers=tokens.headers(squatter)
    )
    assert made.status_code == 201, made.text
    thing = made.json()
    assert thing["owner_id"] is None and thing["claim_status"] == "pending_claim"
    assert "escrow" in thing["claim_hint"] and "/v1/claims" in thing["claim_hint"]
    assert thing["weight"] == 1  # the weight is the owner's to set; nobody owns it yet
    # The squatter neither lists it, changes it, nor is paid for clicks on it.
    assert (await client.get("/v1/things", headers=tokens.headers(squatter))).json()["data"] == []
    patch = await client.patch(f"/v1/things/{thing['id']}", json={"weight": 50}, headers=tokens.headers(squatter))
    assert patch.status_code == 404
    click = await client.post("/v1/clicks", json={"url": url}, headers=tokens.headers(patron))
    assert click.json()["thing_id"] == thing["id"] and click.json()["owner_id"] is None


async def test_registering_under_a_verified_claim_owns_the_thing(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator, rival = new_id("acct"), new_id("acct")
    await prove_ownership(client, creator, f"https://verified.example/{creator}")
    mine = await client.post(
        "/v1/things",
        json={"url": f"https://verified.example/{creator}/a", "weight": 9},
        headers=tokens.headers(creator),
    )
    assert mine.status_code == 201, mine.text
    assert mine.json()["owner_id"] == creator and mine.json()["claim_status"] == "verified"
    assert mine.json()["claim_hint"] is None and mine.json()["weight"] == 9
    # Outside the prefix the claim proves nothing.
    beside = await client.post(
        "/v1/things", json={"url": f"https://verified.example/{creator}x/a"}, headers=tokens.headers(creator)
    )
    assert beside.status_code == 201 and beside.json()["owner_id"] is None
    # Under someone else's verified claim nobody else registers.
    taken = await client.post(
        "/v1/things", json={"url": f"https://verified.example/{creator}/b"}, headers=tokens.headers(rival)
    )
    assert taken.status_code == 409 and taken.json()["code"] == "url_claimed"


async def test_a_widget_click_on_a_unicode_page_lands_on_its_registered_thing(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    creator = new_id("acct")
    page = f"https://unicode.example/{creator}/caf\u00e9-\u00fcber"
    await prove_ownership(client, creator, page)
    thing = (await client.post("/v1/things", json={"url": page}, headers=tokens.headers(creator))).json()
    assert thing["url"] == f"https://unicode.example/{creator}/caf%C3%A9-%C3%BCber"
    # What a browser shows as location.href (percent-encoded UTF-8, maybe of NFD text, with a
    # fragment), what embed.js sends: the lookup carries it encodeURIComponent-ed, the click as JSON.
    nfd = unicodedata.normalize("NFD", "caf\u00e9-\u00fcber").encode()
    hrefs = [
        f"https://unicode.example/{creator}/caf%C3%A9-%C3%BCber#comments",
        f"https://unicode.example/{creator}/{''.join(f'%{b:02x}' if b > 127 else chr(b) for b in nfd)}",
        f"https://unicode.example./{creator}/./caf%c3%a9-%c3%bcber",
    ]
    for href in hrefs:
        found = await client.get("/v1/things/lookup", params={"url": href})
        assert found.status_code == 200 and found.json()["id"] == thing["id"], href
        click = await client.post("/v1/clicks", json={"url": href}, headers=tokens.headers(new_id("acct")))
        assert click.status_code == 201 and click.json()["thing_id"] == thing["id"], href
    counts = (await client.get(f"/v1/things/{thing['id']}/counts")).json()
    assert counts["period_clicks"] == len(hrefs)
