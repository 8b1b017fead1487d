"""Widgets: public counts, a cacheable SVG button, the embed script; CORS open."""

from __future__ import annotations

import asyncio
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from trickle_kit.ids import new_id
from trickle_kit.testing_auth import TokenFactory

from ..support.ownership import prove_ownership
from ..support.widgets import EMBED_HARNESS


async def test_counts_and_button_follow_the_clicks(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    creator = new_id("acct")
    await prove_ownership(client, creator, f"https://widget.example/{creator}")
    thing = (
        await client.post(
            "/v1/things", json={"url": f"https://widget.example/{creator}"}, headers=tokens.headers(creator)
        )
    ).json()
    patrons = [new_id("acct") for _ in range(3)]
    for p in patrons:
        await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(p))

    counts = await client.get(f"/v1/things/{thing['id']}/counts", headers={"Origin": "https://blog.example"})
    assert counts.status_code == 200
    assert counts.json()["period_clicks"] == 3 and counts.json()["all_time_clicks"] == 3
    assert counts.headers["access-control-allow-origin"] == "*"
    assert "max-age" in counts.headers["cache-control"]

    button = await client.get(f"/v1/things/{thing['id']}/button.svg")
    assert button.status_code == 200 and button.headers["content-type"].startswith("image/svg+xml")
    assert ">3</text>" in button.text and button.headers["etag"]
    assert "public" in button.headers["cache-control"]
    cached = await client.get(f"/v1/things/{thing['id']}/button.svg", headers={"If-None-Match": button.headers["etag"]})
    assert cached.status_code == 304 and cached.content == b""

    await client.post("/v1/clicks", json={"thing_id": thing["id"]}, headers=tokens.headers(new_id("acct")))
    changed = await client.get(
        f"/v1/things/{thing['id']}/button.svg", headers={"If-None-Match": button.headers["etag"]}
    )
    assert changed.status_code == 200 and ">4</text>" in changed.text

    # After a seal the open period starts from zero; all time keeps counting.
    await client.post("/v1/periods/current/seal", headers=tokens.operator_headers())
    after = (await client.get(f"/v1/things/{thing['id']}/counts")).json()
    assert after["period_clicks"] == 0 and after["all_time_clicks"] == 4


async def test_widgets_of_unknown_things_are_404_problems(client: httpx.AsyncClient) -> None:
    for path in ("counts", "button.svg"):
        response = await client.get(f"/v1/things/thing_{'0' * 32}/{path}")
        assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


async def test_the_embed_script_clicks_through_trickles_popup_and_never_holds_a_token(
    client: httpx.AsyncClient,
) -> None:
    script = await client.get("/v1/embed.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "/click?" in script.text and "postMessage" in script.text and "button.svg" in script.text
    assert "Authorization" not in script.text and "TrickleToken" not in script.text and "data-token" not in script.text
    # The API still takes clicks from any origin with a bearer token (apps of their own).
    preflight = await client.options(
        "/v1/clicks",
        headers={
            "Origin": "https://blog.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()


async def run_embed(
    client: httpx.AsyncClient, tmp_path: Path, href: str, canonical: str = "", messages: list[Any] | None = None
) -> dict[str, Any]:
    """What embed.js, run by node on a page at ``href``, does: its requests (the look-up), the popup it
    opens when clicked, and the button's state after each of ``messages`` ({origin, data}) arrives."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: embed.js cannot run")
    script = tmp_path / "embed.js"
    script.write_text((await client.get("/v1/embed.js")).text)
    proc = await asyncio.create_subprocess_exec(
        node,
        str(EMBED_HARNESS),
        str(script),
        href,
        canonical,
        json.dumps(messages or []),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    done: dict[str, Any] = json.loads(out)
    return done


async def test_an_embedded_button_on_a_unicode_page_clicks_its_registered_thing(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    creator = new_id("acct")
    page = f"https://widget-unicode.example/{creator}/\u00fcber-caf\u00e9"
    await prove_ownership(client, creator, page)
    thing = (await client.post("/v1/things", json={"url": page}, headers=tokens.headers(creator))).json()
    nfd = "".join(f"%{b:02x}" for b in unicodedata.normalize("NFD", "\u00fcber-caf\u00e9").encode())
    for href, canonical in [
        (f"https://widget-unicode.example/{creator}/%C3%BCber-caf%C3%A9#c", ""),  # location.href is percent-encoded
        (f"https://widget-unicode.example./{creator}/{nfd}", ""),
        (f"https://widget-unicode.example/{creator}/?utm_source=x", f"https://widget-unicode.example/{creator}/{nfd}"),
    ]:
        done = await run_embed(client, tmp_path, href, canonical)
        lookup, popup = done["calls"]
        base = client.app.state.settings.public_base_url  # type: ignore[attr-defined]
        assert lookup["url"].startswith(base + "/v1/things/lookup?url=")
        found = await client.get(lookup["url"].removeprefix(base))
        assert found.status_code == 200 and found.json()["id"] == thing["id"], (href, found.text)
        # The click happens in Trickle's popup (the web front end's /click), which sends the URL it was given.
        opened = urlsplit(popup["open"])
        assert f"{opened.scheme}://{opened.netloc}{opened.path}" == base + "/click" and done["prevented"]
        query = parse_qs(opened.query)
        assert query["origin"] == [f"{urlsplit(href).scheme}://{urlsplit(href).netloc}"]
        assert done["href"] == popup["open"]  # without popups, the link opens the same page
        clicked = await client.post("/v1/clicks", json={"url": query["url"][0]}, headers=tokens.headers(new_id("acct")))
        assert clicked.status_code == 201 and clicked.json()["thing_id"] == thing["id"], (href, clicked.text)


async def test_the_button_takes_the_popups_count_only_from_trickles_origin(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    """Any window may postMessage to the host page: a message not from Trickle's origin changes nothing."""
    base = client.app.state.settings.public_base_url  # type: ignore[attr-defined]
    trickle = f"{urlsplit(base).scheme}://{urlsplit(base).netloc}"
    page = "https://blog-origin.example/post"
    data = {"type": "trickle:clicked", "url": page, "thing_id": "thing_0190a1b2c3d4", "count": 7}
    done = await run_embed(
        client,
        tmp_path,
        page,
        messages=[
            {"origin": "https://evil.example", "data": data | {"count": 999}},
            {"origin": trickle + ".evil.example", "data": data | {"count": 998}},
            {"origin": trickle, "data": {"type": "something-else", "url": page, "count": 997}},
            {"origin": trickle, "data": data | {"url": "https://elsewhere.example/", "thing_id": "thing_other"}},
            {"origin": trickle, "data": data},
        ],
    )
    states = [(s["state"], s["count"]) for s in done["seen"]]
    assert states[:4] == [("confirming", None)] * 4  # another origin, another message, another button
    assert states[4] == ("clicked", "7")
